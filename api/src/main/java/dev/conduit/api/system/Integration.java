package dev.conduit.api.system;

import java.util.Objects;
import java.util.Optional;

/**
 * Where integration calls with a connected system's tokens go.
 *
 * @param baseUrl the base URL template of the resource server; a token is sent only to URLs under it
 */
public record Integration(Optional<String> baseUrl) {

    public Integration {
        baseUrl = Objects.requireNonNullElse(baseUrl, Optional.empty());
    }
}
