package dev.conduit.api.grant;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenSet;
import java.time.Clock;
import java.util.Map;

/**
 * A grant a user completes in a browser: {@link #begin} builds the authorization link, {@link #complete} exchanges the
 * callback for tokens. Core checks the pending authorization (known, unexpired, same user, single use) before
 * {@code complete}, and fills the scope the answer leaves out with the scope the authorization request asked for.
 * Without the user there is no token: core answers {@code AUTHORIZATION_REQUIRED} instead of asking the grant.
 */
public interface InteractiveGrant extends Grant {

    /**
     * Builds the authorization URL and the pending authorization to remember: fresh state, PKCE S256 verifier, the exact
     * redirect URI and the issuer asked.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1">RFC 6749 section 4.1.1</a>
     */
    AuthorizationRequest begin(ConnectedSystem system, Subject user, String redirectUri, Clock clock);

    /**
     * Checks the callback (RFC 9207 {@code iss}, {@code error}, {@code code}) and exchanges the code with the verifier
     * and the byte-identical redirect URI. Rejects before any token request when the callback is wrong.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 section 4.1.2</a>
     */
    TokenSet complete(Map<String, String> callbackParameters, PendingAuthorization pending, GrantRequest request);
}
