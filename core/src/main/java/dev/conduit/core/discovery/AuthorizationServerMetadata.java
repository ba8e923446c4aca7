package dev.conduit.core.discovery;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.json.StrictJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.util.ArrayList;
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

    /**
     * Reads a metadata document fetched from {@code location} for {@code issuer}.
     *
     * @throws ConduitException {@code ISSUER_MISMATCH} when the document names another issuer, {@code DISCOVERY_FAILED}
     *                          when it has no {@code token_endpoint}; both name the field {@code issuer}
     * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3.3">RFC 8414 section 3.3</a>
     */
    public static AuthorizationServerMetadata parse(String issuer, URI location, JsonObject document) {
        String declared = text(document, "issuer");
        if (!issuer.equals(declared)) {
            throw ConduitException.builder(ErrorCode.ISSUER_MISMATCH, "issuer: the metadata at " + location
                    + " names the issuer '" + (declared == null ? "" : declared) + "', not '" + issuer
                    + "'; they must be identical").field("issuer").build();
        }
        String tokenEndpoint = text(document, "token_endpoint");
        if (tokenEndpoint == null) {
            throw ConduitException.builder(ErrorCode.DISCOVERY_FAILED,
                    "issuer: the metadata at " + location + " has no token_endpoint").field("issuer").build();
        }
        List<String> authMethods = strings(document, "token_endpoint_auth_methods_supported");
        return new AuthorizationServerMetadata(declared, tokenEndpoint, text(document, "authorization_endpoint"),
                text(document, "revocation_endpoint"), text(document, "introspection_endpoint"),
                authMethods.isEmpty() ? List.of("client_secret_basic") : authMethods, // RFC 8414 section 2 default
                flag(document.get("authorization_response_iss_parameter_supported")),
                strings(document, "code_challenge_methods_supported"));
    }

    private static String text(JsonObject document, String name) {
        String value = StrictJson.text(document.get(name));
        return value != null && !value.isBlank() ? value : null;
    }

    /** A list of strings; members of another type are passed over. */
    private static List<String> strings(JsonObject document, String name) {
        List<String> values = new ArrayList<>();
        if (document.get(name) instanceof JsonArray array) {
            array.forEach(v -> {
                String text = StrictJson.text(v);
                if (text != null) {
                    values.add(text);
                }
            });
        }
        return values;
    }

    /**
     * A switch read leniently, as servers write it: {@code true}, the string {@code "true"} or a non-zero whole number;
     * anything else, or nothing, is off.
     */
    private static boolean flag(JsonValue value) {
        String text = StrictJson.text(value);
        if (text != null) {
            return text.strip().equals("true");
        }
        return StrictJson.bool(value)
                .orElseGet(() -> StrictJson.wholeNumber(value).map(n -> n != 0).orElse(false));
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
