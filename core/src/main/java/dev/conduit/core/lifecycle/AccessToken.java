package dev.conduit.core.lifecycle;

import dev.conduit.api.Secret;
import dev.conduit.api.system.Scope;
import java.time.Instant;
import java.util.Objects;

/**
 * An access token ready to put on a request: what callers of {@link TokenService} get. The refresh token never
 * leaves core.
 *
 * @param value     the token
 * @param tokenType e.g. {@code Bearer}
 * @param expiresAt when it expires
 * @param scope     the scope granted
 */
public record AccessToken(Secret value, String tokenType, Instant expiresAt, Scope scope) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(scope, "scope");
    }

    /** The {@code Authorization} header value, e.g. {@code Bearer abc}. */
    public String authorizationHeader() {
        return tokenType + " " + value.reveal();
    }
}
