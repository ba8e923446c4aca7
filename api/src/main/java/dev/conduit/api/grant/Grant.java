package dev.conduit.api.grant;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.TokenSet;

/**
 * Obtains a fresh token for one system; never caches and never stores. Found through {@link java.util.ServiceLoader}:
 * a jar adds a line with its class name to {@code META-INF/services/dev.conduit.api.grant.Grant}.
 */
public interface Grant {

    /** The grant type this provides, as configured on systems, e.g. {@code client_credentials}. Unique. */
    String type();

    /** Whether tokens of this grant belong to the application or to one user. */
    TokenScope tokenScope();

    /** Refuses a system this grant cannot serve (e.g. no authorization endpoint); names the field. */
    default void validate(ConnectedSystem system) {
    }

    /** Obtains a new token without user interaction. */
    TokenSet acquire(GrantRequest request);

    /** Whether {@link #refresh} can be used with a stored refresh token. */
    default boolean supportsRefresh() {
        return false;
    }

    /**
     * Exchanges a refresh token for a new token set; a response without a refresh token keeps {@code refreshToken}.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 section 6</a>
     */
    default TokenSet refresh(GrantRequest request, Secret refreshToken) {
        throw new ConduitException(ErrorCode.INTERNAL_ERROR, "grant " + type() + " does not refresh tokens");
    }

    /** Revokes what the provider issued, where it can (RFC 7009); the caller deletes local tokens whatever happens. */
    default void revoke(GrantRequest request, TokenSet tokens) {
    }
}
