package dev.conduit.core.provider;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.Templates;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One well-known provider's registration, as data: its endpoints with {@code ${variable}} placeholders, the variables
 * to ask for, the default scope, the client authentication method and the provider's quirks. {@link #render} turns it
 * and an administrator's values into the same request body {@code POST /api/connected-systems} takes, which then goes
 * through exactly the validation, discovery and endpoint policy of a hand-written system.
 *
 * <p>Plain variables are filled in when the template is rendered; secret variables stay {@code ${name}} references,
 * resolved by the connected system at each token request (only in form parameters and headers), so their values never
 * appear in a URL or in a stored endpoint.
 *
 * @param id               lower-case letters, digits and '-', e.g. {@code keycloak}
 * @param version          increased whenever the rendered configuration changes; recorded on each system made from it
 * @param displayName      e.g. "Microsoft Entra ID"
 * @param documentationUrl the provider's page an administrator reads to register a client
 * @param source           the documentation page the template was checked against
 * @param grantTypes       the grant types the provider supports, the default first
 * @param variables        the values to ask for, in the order a form shows them
 * @param endpoints        endpoint templates
 * @param scope            the default scope and its separator
 * @param clientAuthMethod the client authentication method's wire name, e.g. {@code client_secret_post}; {@code null}
 *                         for Conduit's choice (basic, or with discovery one the server supports)
 * @param quirks           the provider's departures from plain OAuth 2.0
 * @param notes            what the administrator must do at the provider, e.g. which redirect URI to register
 * @param origin           where it was loaded from: the built-in catalog or a file
 */
public record ProviderTemplate(String id, int version, String displayName, String documentationUrl, String source,
        List<String> grantTypes, List<TemplateVariable> variables, Endpoints endpoints, ScopeDefaults scope,
        String clientAuthMethod, Quirks quirks, List<String> notes, String origin) {

    public ProviderTemplate {
        Objects.requireNonNull(id, "id");
        grantTypes = List.copyOf(grantTypes);
        variables = List.copyOf(variables);
        notes = List.copyOf(notes);
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(quirks, "quirks");
    }

    /**
     * Endpoint templates; {@code discover} asks Conduit to read the issuer's metadata for the endpoints left out.
     *
     * @param authorization      the authorization endpoint, or {@code null}
     * @param token              the token endpoint, or {@code null} when discovered
     * @param revocation         the RFC 7009 revocation endpoint, or {@code null}
     * @param issuer             the issuer identifier (RFC 8414), or {@code null}
     * @param integrationBaseUrl the API the tokens are for, or {@code null}
     * @param discover           whether the endpoints left out come from the issuer's metadata
     */
    public record Endpoints(String authorization, String token, String revocation, String issuer,
            String integrationBaseUrl, boolean discover) {

        /** Every endpoint template by the connected-system field it fills. */
        public Map<String, String> byField() {
            Map<String, String> fields = new LinkedHashMap<>();
            put(fields, "authorizationEndpoint", authorization);
            put(fields, "tokenEndpoint", token);
            put(fields, "revocationEndpoint", revocation);
            put(fields, "issuer", issuer);
            put(fields, "integrationBaseUrl", integrationBaseUrl);
            return fields;
        }

        private static void put(Map<String, String> fields, String field, String value) {
            if (value != null) {
                fields.put(field, value);
            }
        }
    }

    /**
     * The scope requested unless the administrator gives one.
     *
     * @param tokens      the default scope tokens
     * @param separator   how the provider separates them: {@code " "} (RFC 6749) or {@code ","} (Slack, for one)
     * @param byGrantType a different default for some grant types, e.g. {@code https://graph.microsoft.com/.default}
     *                    for client credentials at Microsoft
     */
    public record ScopeDefaults(List<String> tokens, String separator, Map<String, List<String>> byGrantType) {

        public ScopeDefaults {
            tokens = List.copyOf(tokens);
            Objects.requireNonNull(separator, "separator");
            byGrantType = Map.copyOf(byGrantType);
        }

        /** The scope for {@code grantType}, joined with the provider's separator. */
        public String forGrantType(String grantType) {
            return String.join(separator, byGrantType.getOrDefault(grantType, tokens));
        }
    }

    /**
     * How the provider departs from plain OAuth 2.0: values of the connected-system fields that
     * {@link dev.conduit.core.schema.SystemFields#templateQuirks()} lists, by field name, as the template gives them (a
     * string, a list of strings, a map of strings, or a whole number of seconds). A quirk the template leaves out keeps
     * Conduit's default.
     */
    public record Quirks(Map<String, Object> values) {

        public static final Quirks NONE = new Quirks(Map.of());

        public Quirks {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    public Optional<TemplateVariable> variable(String name) {
        return variables.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** The grant type a system gets when the administrator names none: the first listed. */
    public String defaultGrantType() {
        return grantTypes.get(0);
    }

    /**
     * The connected system this template describes, as the JSON members of {@code POST /api/connected-systems}
     * (strings, booleans, numbers, lists and maps), plus {@code template: {id, version}}.
     *
     * @param values    the administrator's variable values by name; a missing one takes its default
     * @param grantType the grant type chosen, or {@code null} for {@link #defaultGrantType()}
     * @throws ConduitException {@code INVALID_CONFIGURATION} naming {@code variables.<name>} (missing or not matching
     *                          its pattern) or {@code grantType}; {@code UNKNOWN_VARIABLE} for a value of a variable
     *                          the template does not declare
     */
    public Map<String, Object> render(Map<String, String> values, String grantType) {
        Objects.requireNonNull(values, "values");
        for (String name : values.keySet()) {
            if (variable(name).isEmpty()) {
                throw ConduitException.builder(ErrorCode.UNKNOWN_VARIABLE, "variables." + name + ": the template '" + id
                        + "' has no variable '" + name + "' (it asks for: " + String.join(", ", variableNames()) + ")")
                        .field("variables." + name).build();
            }
        }
        String grant = grantType == null || grantType.isBlank() ? defaultGrantType() : grantType.strip();
        if (!grantTypes.contains(grant)) {
            throw ConduitException.invalidField("grantType", "'" + grant + "' is not offered by the template '" + id
                    + "'; it supports " + String.join(", ", grantTypes));
        }
        Map<String, String> plain = new LinkedHashMap<>();
        Set<String> given = new LinkedHashSet<>();
        Map<String, Object> variablesJson = new LinkedHashMap<>();
        for (TemplateVariable variable : variables) {
            String value = values.get(variable.name());
            if (value == null || value.isEmpty()) {
                value = variable.defaultValue();
            }
            if (value == null) {
                if (variable.required()) {
                    throw ConduitException.invalidField("variables." + variable.name(), "is required: "
                            + variable.label() + ", e.g. " + (variable.secret() ? "(a secret)" : variable.example()));
                }
                continue;
            }
            if (!variable.accepts(value) || value.contains("${")) {
                throw ConduitException.invalidField("variables." + variable.name(), variable.label()
                        + " must match " + variable.pattern().pattern()
                        + (variable.secret() ? "" : ", e.g. " + variable.example()));
            }
            given.add(variable.name());
            Map<String, Object> json = new LinkedHashMap<>();
            if (variable.secret()) {
                json.put("secret", true);
            } else {
                plain.put(variable.name(), value);
            }
            json.put("value", value);
            variablesJson.put(variable.name(), json);
        }

        Map<String, Object> system = new LinkedHashMap<>();
        system.put("grantType", grant);
        endpoints.byField().forEach((field, template) -> {
            if (given.containsAll(references(template))) {
                system.put(field, fill(template, plain));
            }
        });
        if (endpoints.discover()) {
            system.put("discover", true);
        }
        if (clientAuthMethod != null) {
            system.put("clientAuthMethod", clientAuthMethod);
        }
        system.put("scope", scope.forGrantType(grant));
        quirks.values().forEach((field, value) -> system.put(field, value instanceof Map<?, ?> parameters
                ? fillParameters(stringMap(parameters), plain, given) : value));
        system.put("variables", variablesJson);
        system.put("template", Map.of("id", id, "version", version));
        return system;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Map<?, ?> parameters) {
        return (Map<String, String>) parameters;
    }

    /** The variable names in the order declared. */
    public List<String> variableNames() {
        return variables.stream().map(TemplateVariable::name).toList();
    }

    /** Every variable name a template string refers to. */
    static Set<String> references(String template) {
        return Templates.references(template);
    }

    /** Fills plain variables in; secret ones stay {@code ${name}} for the system to resolve at use. */
    private static String fill(String template, Map<String, String> plain) {
        String value = template;
        for (String name : references(template)) {
            String replacement = plain.get(name);
            if (replacement != null) {
                value = value.replace("${" + name + "}", replacement);
            }
        }
        return value;
    }

    /**
     * Fills a parameter map; an entry that refers to an optional variable left empty is left out, so an optional
     * value (e.g. an organisation id) is sent only when given.
     */
    private static Map<String, String> fillParameters(Map<String, String> parameters, Map<String, String> plain,
            Set<String> given) {
        Map<String, String> filled = new LinkedHashMap<>();
        parameters.forEach((name, template) -> {
            if (given.containsAll(references(template))) {
                filled.put(name, fill(template, plain));
            }
        });
        return filled;
    }
}
