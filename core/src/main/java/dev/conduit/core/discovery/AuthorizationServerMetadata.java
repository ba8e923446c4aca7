package dev.conduit.core.discovery;

import dev.conduit.api.ConduitException;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an authorization server says about itself, as far as Conduit uses it.
 *
 * @param issuer                                     the issuer identifier, equal to the one asked
 * @param tokenEndpoint                              {@code token_endpoint}
 * @param authorizationEndpoint                      {@code authorization_endpoint}, or {@code null}
 * @param revocationEndpoint                         {@code revocation_endpoint}, or {@code null}
 * @param introspectionEndpoint                      {@code introspection_endpoint}, or {@code null}
 * @param tokenEndpointAuthMethods                   {@code token_endpoint_auth_methods_supported} (RFC 8414 default:
 *                                                   {@code client_secret_basic})
 * @param authorizationResponseIssParameterSupported RFC 9207 {@code authorization_response_iss_parameter_supported}
 * @param codeChallengeMethods                       {@code code_challenge_methods_supported}, empty when not advertised
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC 8414 section 2</a>
 */
public record AuthorizationServerMetadata(String issuer, String tokenEndpoint, String authorizationEndpoint,
        String revocationEndpoint, String introspectionEndpoint, List<String> tokenEndpointAuthMethods,
        boolean authorizationResponseIssParameterSupported, List<String> codeChallengeMethods) {

    public AuthorizationServerMetadata {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        tokenEndpointAuthMethods = List.copyOf(tokenEndpointAuthMethods);
        codeChallengeMethods = List.copyOf(codeChallengeMethods);
    }

    public Optional<String> authorizationEndpointIfAny() {
        return Optional.ofNullable(authorizationEndpoint);
    }

    /** Fills the endpoints the builder leaves empty, the issuer and the RFC 9207 switch; entered endpoints win. */
    public ConnectedSystem.Builder applyTo(ConnectedSystem.Builder builder) {
        return builder.issuer(issuer).issuerParameterSupported(authorizationResponseIssParameterSupported)
                .endpointDefaults(tokenEndpoint, authorizationEndpoint, revocationEndpoint, introspectionEndpoint);
    }

    /**
     * The client authentication method to use when the administrator chose none: private_key_jwt when the system has a
     * key and the server supports it, else client_secret_basic, else client_secret_post when only that is supported.
     */
    public ClientAuthMethod clientAuthMethod(boolean hasAssertionKey) {
        if (hasAssertionKey && tokenEndpointAuthMethods.contains(ClientAuthMethod.PRIVATE_KEY_JWT.wireName())) {
            return ClientAuthMethod.PRIVATE_KEY_JWT;
        }
        if (!tokenEndpointAuthMethods.contains(ClientAuthMethod.CLIENT_SECRET_BASIC.wireName())
                && tokenEndpointAuthMethods.contains(ClientAuthMethod.CLIENT_SECRET_POST.wireName())) {
            return ClientAuthMethod.CLIENT_SECRET_POST;
        }
        return ClientAuthMethod.CLIENT_SECRET_BASIC;
    }

    /**
     * Refuses a system this server cannot serve: a client authentication method it does not support, or an
     * authorization code system when it cannot do PKCE S256.
     */
    public void check(ConnectedSystem system) {
        String method = system.client().method().wireName();
        if (!tokenEndpointAuthMethods.contains(method)) {
            throw ConduitException.invalidField("clientAuthMethod", "the issuer does not support " + method
                    + "; it supports " + String.join(", ", tokenEndpointAuthMethods));
        }
        if (!codeChallengeMethods.isEmpty() && !codeChallengeMethods.contains("S256")
                && system.endpoints().authorization().isPresent()) {
            throw ConduitException.invalidField("issuer",
                    "the issuer does not support PKCE S256 (it advertises " + codeChallengeMethods + ")");
        }
    }
}
