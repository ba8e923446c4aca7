package dev.conduit.core.administration;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.core.lifecycle.AccessToken;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of obtaining a token for a system right after it was saved or on request: never the token itself.
 *
 * @param ok               whether a token was obtained
 * @param code             why not, else {@code null}
 * @param message          what went wrong, else {@code null}
 * @param hint             what to do, else {@code null}
 * @param oauthError       what the provider said, when it said something
 * @param expiresAt        when the token obtained expires, when one was
 * @param scope            the scope granted, when a token was obtained and there is one; else null
 * @param introspection    what the system's introspection endpoint said of the token obtained, when it has one
 */
public record TokenTest(boolean ok, ErrorCode code, String message, String hint, OAuthError oauthError,
        Instant expiresAt, String scope, Optional<Introspection> introspection) {

    public TokenTest {
        introspection = Objects.requireNonNullElse(introspection, Optional.empty());
    }

    public static TokenTest succeeded(AccessToken token, Optional<Introspection> introspection) {
        return new TokenTest(true, null, null, null, null, token.expiresAt(),
                token.scope().isEmpty() ? null : token.scope().toString(), introspection);
    }

    public static TokenTest failed(ConduitException e) {
        return new TokenTest(false, e.code(), e.getMessage(), e.hint(), e.oauthError().orElse(null), null, null,
                Optional.empty());
    }
}
