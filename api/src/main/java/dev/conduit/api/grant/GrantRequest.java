package dev.conduit.api.grant;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import java.time.Clock;
import java.util.Objects;

/**
 * What a grant needs for one token request.
 *
 * @param system        the connected system
 * @param subject       whom the token is for
 * @param tokenEndpoint the system's token endpoint, lent by core
 * @param clock         the time source (tests fix it)
 */
public record GrantRequest(ConnectedSystem system, Subject subject, TokenEndpoint tokenEndpoint, Clock clock) {

    public GrantRequest {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(clock, "clock");
    }
}
