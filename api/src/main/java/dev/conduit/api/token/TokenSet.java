package dev.conduit.api.token;

import dev.conduit.api.Secret;
import dev.conduit.api.system.Scope;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a token endpoint issued, as stored.
 *
 * @param accessToken  the access token
 * @param tokenType    the token type, normalised (e.g. {@code Bearer})
 * @param issuedAt     when Conduit received it
 * @param expiresAt    when it expires (from {@code expires_in}, or the system's default lifetime)
 * @param refreshToken the refresh token, or {@code null}
 * @param scope        the scope granted (the response's scope, else the scope requested)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.1">RFC 6749 section 5.1</a>
 */
public record TokenSet(Secret accessToken, String tokenType, Instant issuedAt, Instant expiresAt, Secret refreshToken,
        Scope scope) {

    public TokenSet {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scope = scope == null ? Scope.EMPTY : scope;
    }

    public Optional<Secret> refreshTokenIfAny() {
        return Optional.ofNullable(refreshToken);
    }

    /** A copy with another refresh token (e.g. the old one kept, or none). */
    public TokenSet withRefreshToken(Secret token) {
        return new TokenSet(accessToken, tokenType, issuedAt, expiresAt, token, scope);
    }

    /** A copy with another scope granted (e.g. the scope requested, when the answer named none). */
    public TokenSet withScope(Scope granted) {
        return new TokenSet(accessToken, tokenType, issuedAt, expiresAt, refreshToken, granted);
    }

    /** True when the token is expired at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
