package dev.conduit.web.restclient;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed Rest Client call for a per-user connected system that the current user has not authorized (or whose grant
 * the provider revoked): no request reached the resource server. The user opens {@link #authorizationUrl()} once,
 * signs in at the provider, and the next call carries their token.
 */
public class AuthorizationRequiredException extends ConduitException {

    private static final long serialVersionUID = 1L;

    private final String connectedSystem;
    private final URI authorizationUrl;
    private final Instant expiresAt;

    public AuthorizationRequiredException(String connectedSystem, URI authorizationUrl, Instant expiresAt) {
        super(ErrorCode.AUTHORIZATION_REQUIRED, "the user has not authorized connected system '" + connectedSystem
                + "': open the authorization link and sign in at the provider once");
        this.connectedSystem = Objects.requireNonNull(connectedSystem, "connectedSystem");
        this.authorizationUrl = Objects.requireNonNull(authorizationUrl, "authorizationUrl");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The connected system to authorize. */
    public String connectedSystem() {
        return connectedSystem;
    }

    /** A new authorization link for this user (one-time, bound to the user). */
    public URI authorizationUrl() {
        return authorizationUrl;
    }

    /** When the link stops working. */
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public Optional<String> systemName() {
        return Optional.of(connectedSystem);
    }
}
