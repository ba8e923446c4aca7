package dev.conduit.api.system;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where integration calls with a connected system's tokens go, and how long one may take.
 *
 * @param baseUrl      the base URL template of the resource server; a token is sent only to URLs under it
 * @param callDeadline the time one integration call may take, headers and body; empty: the server's setting
 */
public record Integration(Optional<String> baseUrl, Optional<Duration> callDeadline) {

    public Integration {
        baseUrl = Objects.requireNonNullElse(baseUrl, Optional.empty());
        callDeadline = Objects.requireNonNullElse(callDeadline, Optional.empty());
    }
}
