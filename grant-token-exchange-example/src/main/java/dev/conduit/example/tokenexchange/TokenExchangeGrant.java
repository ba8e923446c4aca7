package dev.conduit.example.tokenexchange;

import dev.conduit.api.ConduitException;
import dev.conduit.api.grant.AcquiringGrant;
import dev.conduit.api.grant.ValidatingGrant;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.system.Variable;
import dev.conduit.api.token.TokenSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 8693 token exchange as a Conduit grant plug-in: the application trades its own token for one limited to the
 * system's scope (and, when the variable {@code audience} is set, to that audience), as a resource server behind a
 * gateway expects. The subject token comes from the client credentials grant at the same token endpoint, so a system
 * needs nothing beyond the usual client id, secret and scope.
 *
 * <p>Written against the {@code api} jar alone: dropped into the WAR's {@code WEB-INF/lib}, it is found through
 * {@link java.util.ServiceLoader} by its {@code META-INF/services} entry.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8693#section-2.1">RFC 8693 section 2.1</a>
 */
public final class TokenExchangeGrant implements AcquiringGrant, ValidatingGrant {

    /** The grant type, as systems configure it and as it goes on the wire (RFC 8693 section 2.1). */
    public static final String TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";

    /** RFC 8693 section 3: the token type of an OAuth 2.0 access token. */
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    /** The optional variable naming the audience to ask for (RFC 8693 section 2.1 {@code audience}). */
    static final String AUDIENCE_VARIABLE = "audience";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TokenScope tokenScope() {
        return TokenScope.PER_APP;
    }

    @Override
    public void validate(ConnectedSystem system) {
        if (system.client().secret().isEmpty()) {
            throw ConduitException.invalidField("clientSecret",
                    "token exchange obtains its subject token with the client's credentials: set the client secret");
        }
        Variable audience = system.variables().get(AUDIENCE_VARIABLE);
        if (audience != null && audience.secret()) {
            throw ConduitException.invalidField("variables." + AUDIENCE_VARIABLE, "the audience is not a secret");
        }
    }

    @Override
    public TokenSet acquire(GrantRequest request) {
        TokenSet subject = request.tokenEndpoint().requestToken(Map.of("grant_type", "client_credentials"));
        ConnectedSystem system = request.system();
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", TYPE);
        exchange.put("subject_token", subject.accessToken().reveal());
        exchange.put("subject_token_type", ACCESS_TOKEN_TYPE);
        exchange.put("requested_token_type", ACCESS_TOKEN_TYPE);
        if (!system.tokenRequest().scope().isEmpty()) {
            exchange.put("scope", system.tokenRequest().scope().toString());
        }
        Variable audience = system.variables().get(AUDIENCE_VARIABLE);
        if (audience != null) {
            exchange.put("audience", audience.reveal());
        }
        // the exchanged token is renewed by exchanging again, never refreshed (RFC 8693 section 2.2.1)
        return request.tokenEndpoint().requestToken(exchange).withRefreshToken(null);
    }
}
