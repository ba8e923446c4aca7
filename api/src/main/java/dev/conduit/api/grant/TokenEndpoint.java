package dev.conduit.api.grant;

import dev.conduit.api.Secret;
import dev.conduit.api.token.TokenSet;
import java.util.Map;

/**
 * One system's token endpoint, lent by core to a grant: it adds client authentication and the system's extra
 * parameters, sends, and parses the answer strictly into a {@link TokenSet} or a
 * {@link dev.conduit.api.ConduitException} with the matching {@link dev.conduit.api.ErrorCode}.
 */
public interface TokenEndpoint {

    /**
     * Sends a token request with these grant parameters (e.g. {@code grant_type}, {@code scope}, {@code code}).
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.2">RFC 6749 section 3.2</a>
     */
    TokenSet requestToken(Map<String, String> parameters);

    /**
     * Asks the system's revocation endpoint to revoke a token; false when the system has none or the server refused.
     *
     * @param tokenTypeHint {@code refresh_token} or {@code access_token}
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2.1">RFC 7009 section 2.1</a>
     */
    boolean revoke(Secret token, String tokenTypeHint);
}
