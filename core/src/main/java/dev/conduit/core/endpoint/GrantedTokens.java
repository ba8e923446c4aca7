package dev.conduit.core.endpoint;

import dev.conduit.api.system.Scope;
import dev.conduit.api.token.TokenSet;
import java.util.Objects;

/** What a token answer leaves out, filled as RFC 6749 says: the one place Conduit does so. */
public final class GrantedTokens {

    private GrantedTokens() {
    }

    /**
     * An answer without {@code scope} granted the scope requested.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.1">RFC 6749 section 5.1</a>
     */
    public static TokenSet issued(TokenSet answer, Scope requested) {
        Objects.requireNonNull(answer, "answer");
        return answer.scope().isEmpty() && requested != null ? answer.withScope(requested) : answer;
    }

    /**
     * A refresh answer without {@code refresh_token} keeps the old one; one without {@code scope} keeps the scope
     * granted before (the refresh request sends none, so nothing else was asked).
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 section 6</a>
     */
    public static TokenSet refreshed(TokenSet answer, TokenSet previous) {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(previous, "previous");
        TokenSet kept = answer.refreshToken() == null ? answer.withRefreshToken(previous.refreshToken()) : answer;
        return issued(kept, previous.scope());
    }
}
