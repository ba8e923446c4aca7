package dev.conduit.grant.authorizationcode;

import dev.conduit.api.ConduitException;
import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.grant.State;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Templates;
import dev.conduit.api.system.Variable;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds the authorization request URL: the system's authorization endpoint (its own query kept) plus the protocol
 * parameters, the system's extra query parameters and its extra authorization parameters, each form-urlencoded.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1">RFC 6749 section 4.1.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.3">RFC 7636 section 4.3</a>
 */
final class AuthorizationUrl {

    /**
     * The parameters Conduit sets itself. RFC 6749 section 3.1 forbids sending one twice, and letting configuration set
     * them would allow, for instance, {@code code_challenge_method=plain}: they are refused elsewhere.
     */
    static final Set<String> PROTOCOL_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri", "scope",
            "state", "code_challenge", "code_challenge_method");

    private AuthorizationUrl() {
    }

    /** The URL the user's browser is sent to. */
    static URI build(ConnectedSystem system, String redirectUri, State state, CodeVerifier verifier) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", system.client().id());
        parameters.put("redirect_uri", redirectUri);
        if (system.tokenRequest().includeScope() && !system.tokenRequest().scope().isEmpty()) {
            parameters.put("scope", system.tokenRequest().scope().toString());
        }
        parameters.put("state", state.value());
        parameters.put("code_challenge", verifier.challenge());
        // S256 is the only method there is: no configuration, fallback or server answer leads to plain
        parameters.put("code_challenge_method", CodeVerifier.METHOD);
        extraParameters(system).forEach(parameters::put);

        String endpoint = endpoint(system);
        StringBuilder url = new StringBuilder(endpoint);
        if (endpoint.indexOf('?') < 0) {
            url.append('?');
        } else if (!endpoint.endsWith("?") && !endpoint.endsWith("&")) {
            url.append('&');
        }
        boolean first = true;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (!first) {
                url.append('&');
            }
            url.append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            first = false;
        }
        return URI.create(url.toString());
    }

    /** Refuses configuration that would make a wrong or leaky authorization URL; names the field. */
    static void validate(ConnectedSystem system) {
        String endpoint = endpoint(system);
        for (String name : queryParameterNames(endpoint)) {
            if (PROTOCOL_PARAMETERS.contains(name)) {
                throw ConduitException.invalidField("authorizationEndpoint",
                        "must not carry the '" + name + "' parameter in its query; Conduit sets it");
            }
        }
        extraParameters(system);
    }

    private static String endpoint(ConnectedSystem system) {
        return system.endpoints().authorization().orElseThrow(() -> ConduitException.invalidField("authorizationEndpoint",
                "is required for the authorization code grant"));
    }

    /** The extra query and authorization parameters with their {@code ${variable}} templates rendered. */
    private static Map<String, String> extraParameters(ConnectedSystem system) {
        Map<String, String> rendered = new LinkedHashMap<>();
        add(rendered, "extraQueryParameters", system.tokenRequest().extraQueryParameters(), system);
        // the authorization request's own parameters (Google's access_type, Dropbox's token_access_type) win
        add(rendered, "extraAuthorizationParameters", system.tokenRequest().extraAuthorizationParameters(), system);
        return rendered;
    }

    private static void add(Map<String, String> rendered, String fieldName, Map<String, String> parameters,
            ConnectedSystem system) {
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String field = fieldName + "." + parameter.getKey();
            if (PROTOCOL_PARAMETERS.contains(parameter.getKey())) {
                throw ConduitException.invalidField(field,
                        "'" + parameter.getKey() + "' is set by Conduit on the authorization request and cannot be configured");
            }
            rendered.put(parameter.getKey(), render(field, parameter.getValue(), system.variables()));
        }
    }

    private static String render(String field, String template, Map<String, Variable> variables) {
        String value = template;
        for (String name : Templates.references(template)) {
            Variable variable = variables.get(name);
            if (variable == null) {
                throw ConduitException.invalidField(field, "refers to ${" + name + "}, which is not a variable of this system");
            }
            // the authorization URL is shown to the user's browser, its history and the provider's logs; a system
            // refuses secret variables in query parameters when built, and this keeps the grant safe on its own
            if (variable.secret()) {
                throw ConduitException.invalidField(field, "refers to the secret variable ${" + name
                        + "}, which would be shown in the browser's authorization link");
            }
            value = value.replace("${" + name + "}", variable.reveal());
        }
        return value;
    }

    private static Set<String> queryParameterNames(String endpoint) {
        String query = URI.create(endpoint).getRawQuery();
        Set<String> names = new LinkedHashSet<>();
        if (query == null || query.isEmpty()) {
            return names;
        }
        for (String pair : query.split("&")) {
            String rawName = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            try {
                names.add(URLDecoder.decode(rawName, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ConduitException.invalidField("authorizationEndpoint", "has a malformed query: " + e.getMessage());
            }
        }
        return names;
    }

    /** application/x-www-form-urlencoded (RFC 6749 Appendix B), with a space as %20, which every decoder reads right. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
