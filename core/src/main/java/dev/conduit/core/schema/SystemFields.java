package dev.conduit.core.schema;

import static dev.conduit.core.schema.FieldGroup.CLIENT;
import static dev.conduit.core.schema.FieldGroup.ENDPOINTS;
import static dev.conduit.core.schema.FieldGroup.INTEGRATION;
import static dev.conduit.core.schema.FieldGroup.LIFECYCLE;
import static dev.conduit.core.schema.FieldGroup.SYSTEM;
import static dev.conduit.core.schema.FieldGroup.TOKEN_REQUEST;
import static dev.conduit.core.schema.FieldGroup.VARIABLES;

import dev.conduit.api.system.BodyFormat;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.RetryPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one description of a connected system's fields: their JSON names, groups, types, whether required or secret,
 * which grant types use them, labels and help. Clients read it at {@code GET /api/connected-systems/schema}, so that a
 * form never keeps its own copy of the field list.
 */
public final class SystemFields {

    private static final String CLIENT_CREDENTIALS = "client_credentials";
    private static final String AUTHORIZATION_CODE = "authorization_code";

    private static final List<SystemField> ALL = List.of(
            field("name", SYSTEM, FieldType.STRING, "Name").required()
                    .help("Unique, 1 to " + ConnectedSystem.MAX_NAME_LENGTH
                            + " characters; names the system in URLs and token keys and cannot be changed"),
            field("grantType", SYSTEM, FieldType.ENUM, "Grant type").required()
                    .help("How tokens are obtained: client_credentials (one token for the application), "
                            + "authorization_code (one per user), or a plug-in grant's type"),
            field("description", SYSTEM, FieldType.STRING, "Description").help("Free text, at most 500 characters"),
            field("category", SYSTEM, FieldType.STRING, "Category").help("Groups systems in lists, at most 100 characters"),
            field("template.id", SYSTEM, FieldType.STRING, "Provider template")
                    .help("The provider template the system was created from (GET /api/templates); recorded when a "
                            + "system is created with \"template\": \"<id>\", kept by edits, informational"),
            field("template.version", SYSTEM, FieldType.INTEGER, "Template version")
                    .help("The template's version when the system was created from it"),

            field("issuer", ENDPOINTS, FieldType.URL, "Issuer")
                    .help("The authorization server's issuer identifier; with no token endpoint, the endpoints are "
                            + "discovered from its metadata (RFC 8414 or OpenID Connect)"),
            field("tokenEndpoint", ENDPOINTS, FieldType.URL, "Token endpoint").required()
                    .help("Where tokens are requested (RFC 6749 section 3.2); may hold ${variable} templates"),
            field("authorizationEndpoint", ENDPOINTS, FieldType.URL, "Authorization endpoint")
                    .grants(AUTHORIZATION_CODE)
                    .help("Where users are sent to authorize (RFC 6749 section 3.1); required for authorization_code"),
            field("revocationEndpoint", ENDPOINTS, FieldType.URL, "Revocation endpoint").grants(AUTHORIZATION_CODE)
                    .help("Where a user's tokens are revoked when they disconnect (RFC 7009)"),
            field("introspectionEndpoint", ENDPOINTS, FieldType.URL, "Introspection endpoint")
                    .grants(CLIENT_CREDENTIALS, AUTHORIZATION_CODE)
                    .help("Where a test checks that a token obtained is active (RFC 7662)"),
            field("issuerParameterSupported", ENDPOINTS, FieldType.BOOLEAN, "Sends iss on authorization responses")
                    .grants(AUTHORIZATION_CODE).defaultValue(false)
                    .help("The server sends iss with every authorization response, and Conduit requires it (RFC 9207)"),

            field("clientId", CLIENT, FieldType.STRING, "Client id").required()
                    .help("The client identifier registered at the provider"),
            field("clientSecret", CLIENT, FieldType.SECRET, "Client secret")
                    .help("Write-only; leave it out of an edit to keep the stored one"),
            field("clientAuthMethod", CLIENT, FieldType.ENUM, "Client authentication")
                    .defaultValue(ClientAuthMethod.CLIENT_SECRET_BASIC.wireName())
                    .values(Arrays.stream(ClientAuthMethod.values()).map(ClientAuthMethod::wireName).toList())
                    .help("How Conduit authenticates at the token endpoint (RFC 6749 section 2.3, RFC 7523)"),
            field("clientAssertionKey", CLIENT, FieldType.SECRET, "Client assertion key")
                    .help("PKCS#8 PEM private key (RSA or EC P-256) signing private_key_jwt assertions; write-only"),
            field("clientAssertionKeyId", CLIENT, FieldType.STRING, "Client assertion key id")
                    .help("The kid put in private_key_jwt assertions, so the provider finds the public key"),

            field("scope", TOKEN_REQUEST, FieldType.STRING, "Scope").defaultValue("")
                    .help("Space-separated scope tokens requested (RFC 6749 section 3.3)"),
            field("includeScope", TOKEN_REQUEST, FieldType.BOOLEAN, "Send scope").defaultValue(true)
                    .help("Whether token requests carry the scope parameter; some providers refuse it"),
            field("bodyFormat", TOKEN_REQUEST, FieldType.ENUM, "Request body format")
                    .defaultValue(BodyFormat.FORM.name())
                    .values(Arrays.stream(BodyFormat.values()).map(Enum::name).toList())
                    .help("How the token request body is encoded: FORM (standard) or JSON"),
            field("tokenResponseKey", TOKEN_REQUEST, FieldType.STRING, "Token key path")
                    .defaultValue(ConnectedSystem.DEFAULT_TOKEN_RESPONSE_KEY)
                    .help("Where the access token sits in the response: a key, or a dotted path such as data.token"),
            field("extraQueryParameters", TOKEN_REQUEST, FieldType.MAP, "Extra query parameters")
                    .help("Added to the token endpoint URL; values may hold ${variable} templates"),
            field("extraFormParameters", TOKEN_REQUEST, FieldType.MAP, "Extra form parameters")
                    .help("Added to the token request body; values may hold ${variable} templates"),
            field("extraHeaders", TOKEN_REQUEST, FieldType.MAP, "Extra headers")
                    .help("Added to the token request; values may hold ${variable} templates"),
            field("extraAuthorizationParameters", TOKEN_REQUEST, FieldType.MAP, "Extra authorization parameters")
                    .grants(AUTHORIZATION_CODE)
                    .help("Added to the authorization request only, e.g. access_type=offline; values may hold "
                            + "${variable} templates of plain variables"),
            field("bearerTokenTypes", TOKEN_REQUEST, FieldType.LIST, "Bearer token types")
                    .help("token_type values the provider uses for tokens sent as Bearer tokens, e.g. user (Slack); "
                            + "Bearer is always accepted"),

            field("retryPolicy.maxAttempts", LIFECYCLE, FieldType.INTEGER, "Attempts")
                    .defaultValue(RetryPolicy.DEFAULT.maxAttempts())
                    .help("Token requests at most per acquisition, 1 to 10, before the system is disabled"),
            field("retryPolicy.maxWaitSeconds", LIFECYCLE, FieldType.DURATION, "Retry budget")
                    .defaultValue(RetryPolicy.DEFAULT.maxWait().toSeconds())
                    .help("Seconds all attempts may take together, backoff included, 1 to 600"),
            field("defaultTokenLifetimeSeconds", LIFECYCLE, FieldType.DURATION, "Default token lifetime")
                    .defaultValue(ConnectedSystem.DEFAULT_TOKEN_LIFETIME.toSeconds())
                    .help("Seconds a token is taken to live when the response has no expires_in"),
            field("refreshAheadSeconds", LIFECYCLE, FieldType.DURATION, "Refresh ahead")
                    .defaultValue(ConnectedSystem.DEFAULT_REFRESH_AHEAD.toSeconds())
                    .help("Seconds at most before expiry a token is renewed (at most half its lifetime)"),
            field("tokenRejectedStatuses", LIFECYCLE, FieldType.LIST, "Token rejected statuses")
                    .defaultValue(List.copyOf(ConnectedSystem.DEFAULT_TOKEN_REJECTED_STATUSES.stream().sorted().toList()))
                    .help("Resource server statuses that mean the token was refused: renew it and retry once"),

            field("integrationBaseUrl", INTEGRATION, FieldType.URL, "Integration base URL")
                    .help("The resource server's base URL; the token is sent only to URLs under it"),

            field("variables", VARIABLES, FieldType.MAP, "Variables")
                    .help("Values ${name} templates use, each {\"value\": \"...\"} or {\"secret\": true, \"value\": \"...\"}"))
            .stream().map(Draft::done).toList();

    private SystemFields() {
    }

    /** Every field, grouped, in the order a form shows them. */
    public static List<SystemField> all() {
        return ALL;
    }

    /** The field of that JSON name, e.g. {@code retryPolicy.maxAttempts}. */
    public static Optional<SystemField> byName(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    private static Draft field(String name, FieldGroup group, FieldType type, String label) {
        return new Draft(name, group, type, label);
    }

    /** Collects one field's description; {@link #done} makes it a {@link SystemField}. */
    private static final class Draft {
        private final String name;
        private final FieldGroup group;
        private final FieldType type;
        private final String label;
        private boolean required;
        private List<String> grantTypes = List.of();
        private String help = "";
        private Object defaultValue;
        private List<String> values = List.of();

        Draft(String name, FieldGroup group, FieldType type, String label) {
            this.name = name;
            this.group = group;
            this.type = type;
            this.label = label;
        }

        Draft required() { required = true; return this; }
        Draft grants(String... types) { grantTypes = new ArrayList<>(List.of(types)); return this; }
        Draft help(String text) { help = text; return this; }
        Draft defaultValue(Object value) { defaultValue = value; return this; }
        Draft values(List<String> allowed) { values = allowed; return this; }

        SystemField done() {
            return new SystemField(name, group, label, type, required, grantTypes, help, defaultValue, values);
        }
    }
}
