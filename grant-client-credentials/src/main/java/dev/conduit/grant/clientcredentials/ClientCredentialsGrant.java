package dev.conduit.grant.clientcredentials;

import dev.conduit.api.grant.AcquiringGrant;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.TokenSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client credentials grant: the application's own token, one per connected system. A refresh token in the answer
 * is dropped, since an expired token is simply requested again.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 section 4.4</a>
 */
public final class ClientCredentialsGrant implements AcquiringGrant {

    public static final String TYPE = "client_credentials";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TokenScope tokenScope() {
        return TokenScope.PER_APP;
    }

    @Override
    public TokenSet acquire(GrantRequest request) {
        ConnectedSystem system = request.system();
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", TYPE);
        if (system.tokenRequest().includeScope() && !system.tokenRequest().scope().isEmpty()) {
            parameters.put("scope", system.tokenRequest().scope().toString());
        }
        // RFC 6749 section 4.4.3: a refresh token SHOULD NOT be included; if one is, it is not kept
        return request.tokenEndpoint().requestToken(parameters).withRefreshToken(null);
    }
}
