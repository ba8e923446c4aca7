package dev.conduit.api.grant;

import java.net.URI;
import java.util.Objects;

/**
 * An authorization link and what to remember until its callback arrives.
 *
 * @param url     the provider's authorization URL with every parameter
 * @param pending the pending authorization to store
 */
public record AuthorizationRequest(URI url, PendingAuthorization pending) {

    public AuthorizationRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(pending, "pending");
    }
}
