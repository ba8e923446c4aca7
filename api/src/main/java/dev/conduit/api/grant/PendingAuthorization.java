package dev.conduit.api.grant;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.token.Subject;
import java.time.Instant;
import java.util.Objects;

/**
 * An authorization link handed out and not yet completed. One-time: bound to one user, one state and an expiry.
 *
 * @param state        the {@code state} sent
 * @param systemName   the connected system
 * @param user         the user it was issued to
 * @param codeVerifier the PKCE verifier
 * @param redirectUri  the exact {@code redirect_uri} sent, repeated byte for byte in the token request
 * @param issuer       the issuer the request was sent to, or {@code null} when the system has none configured
 * @param expiresAt    when it stops being accepted
 */
public record PendingAuthorization(State state, String systemName, Subject user, CodeVerifier codeVerifier,
        String redirectUri, String issuer, Instant expiresAt) {

    public PendingAuthorization {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(systemName, "systemName");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!user.isUser()) {
            throw ConduitException.builder(ErrorCode.WRONG_SUBJECT, "user: a pending authorization belongs to a user")
                    .field("user").build();
        }
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
