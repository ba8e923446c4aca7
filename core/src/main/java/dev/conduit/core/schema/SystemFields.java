package dev.conduit.core.schema;

import static dev.conduit.core.schema.FieldGroup.CLIENT;
import static dev.conduit.core.schema.FieldGroup.ENDPOINTS;
import static dev.conduit.core.schema.FieldGroup.INTEGRATION;
import static dev.conduit.core.schema.FieldGroup.LIFECYCLE;
import static dev.conduit.core.schema.FieldGroup.SYSTEM;
import static dev.conduit.core.schema.FieldGroup.TOKEN_REQUEST;
import static dev.conduit.core.schema.FieldGroup.VARIABLES;

import dev.conduit.api.ConduitException;
import dev.conduit.api.Secret;
import dev.conduit.api.system.BodyFormat;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystem.Builder;
import dev.conduit.api.system.RetryPolicy;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one description of a connected system's fields: their JSON names, groups, types, whether required or secret,
 * which grant types use them, labels and help. Clients read it at {@code GET /api/connected-systems/schema}, so that a
 * form never keeps its own copy of the field list.
 */
public final class SystemFields {

    private static final String AUTHORIZATION_CODE = "authorization_code";

    private static final List<SystemField> ALL = List.of(
            field("name", SYSTEM, FieldType.STRING, "Name").required()
                    .help("Unique, 1 to " + ConnectedSystem.MAX_NAME_LENGTH
                            + " characters; names the system in URLs and token keys and cannot be changed")
                    .text(ConnectedSystem::name, Builder::name),
            field("grantType", SYSTEM, FieldType.ENUM, "Grant type").required()
                    .help("How tokens are obtained: client_credentials (one token for the application), "
                            + "authorization_code (one per user), or a plug-in grant's type")
                    .text(ConnectedSystem::grantType, Builder::grantType),
            field("description", SYSTEM, FieldType.STRING, "Description").help("Free text, at most 500 characters")
                    .text(s -> s.description().orElse(null), Builder::description),
            field("category", SYSTEM, FieldType.STRING, "Category").help("Groups systems in lists, at most 100 characters")
                    .text(s -> s.category().orElse(null), Builder::category),
            // set together from one TemplateReference, which the JSON representation reads and writes whole
            field("template.id", SYSTEM, FieldType.STRING, "Provider template")
                    .help("The provider template the system was created from (GET /api/templates); recorded when a "
                            + "system is created with \"template\": \"<id>\", kept by edits, informational"),
            field("template.version", SYSTEM, FieldType.INTEGER, "Template version").range(1, Integer.MAX_VALUE)
                    .help("The template's version when the system was created from it"),

            field("tokenEndpoint", ENDPOINTS, FieldType.URL, "Token endpoint").required().perEnvironment()
                    .help("Where tokens are requested (RFC 6749 section 3.2); may hold ${variable} templates")
                    .text(s -> s.endpoints().token(), Builder::tokenEndpoint),
            field("authorizationEndpoint", ENDPOINTS, FieldType.URL, "Authorization endpoint").perEnvironment()
                    .grants(AUTHORIZATION_CODE)
                    .help("Where users are sent to authorize (RFC 6749 section 3.1); required for authorization_code")
                    .text(s -> s.endpoints().authorization().orElse(null), Builder::authorizationEndpoint),
            field("revocationEndpoint", ENDPOINTS, FieldType.URL, "Revocation endpoint").perEnvironment()
                    .grants(AUTHORIZATION_CODE)
                    .help("Where a user's tokens are revoked when they disconnect (RFC 7009)")
                    .text(s -> s.endpoints().revocation().orElse(null), Builder::revocationEndpoint),
            field("introspectionEndpoint", ENDPOINTS, FieldType.URL, "Introspection endpoint").perEnvironment()
                    .help("Where a test checks that the token obtained is active (RFC 7662)")
                    .text(s -> s.endpoints().introspection().orElse(null), Builder::introspectionEndpoint),
            field("issuer", ENDPOINTS, FieldType.URL, "Issuer").perEnvironment()
                    .help("The authorization server's issuer identifier; with no token endpoint, the endpoints are "
                            + "discovered from its metadata (RFC 8414 or OpenID Connect)")
                    .text(s -> s.endpoints().issuer().orElse(null), Builder::issuer),
            field("issuerParameterSupported", ENDPOINTS, FieldType.BOOLEAN, "Sends iss on authorization responses")
                    .grants(AUTHORIZATION_CODE).defaultValue(false)
                    .help("The server sends iss with every authorization response, and Conduit requires it (RFC 9207)")
                    .bind(s -> s.endpoints().issuerParameterSupported(), Builder::issuerParameterSupported,
                            SystemFields::bool, String::valueOf),

            field("clientId", CLIENT, FieldType.STRING, "Client id").required().perEnvironment()
                    .help("The client identifier registered at the provider")
                    .text(s -> s.client().id(), Builder::clientId),
            field("clientSecret", CLIENT, FieldType.SECRET, "Client secret").perEnvironment()
                    .help("Write-only; leave it out of an edit to keep the stored one")
                    .bind(s -> s.client().secret().orElse(null), Builder::clientSecret, Secret::of, Secret::reveal),
            field("clientAuthMethod", CLIENT, FieldType.ENUM, "Client authentication")
                    .defaultValue(ClientAuthMethod.CLIENT_SECRET_BASIC.wireName())
                    .values(Arrays.stream(ClientAuthMethod.values()).map(ClientAuthMethod::wireName).toList())
                    .help("How Conduit authenticates at the token endpoint (RFC 6749 section 2.3, RFC 7523)")
                    .bind(s -> s.client().method(), Builder::clientAuthMethod, ClientAuthMethod::fromWireName,
                            ClientAuthMethod::wireName),
            field("clientAssertionKey", CLIENT, FieldType.SECRET, "Client assertion key").perEnvironment()
                    .help("PKCS#8 PEM private key (RSA or EC P-256) signing private_key_jwt assertions (line breaks as \\n in a "
                            + "customization file); write-only")
                    .bind(s -> s.client().assertionKey().orElse(null), Builder::clientAssertionKey, Secret::of,
                            Secret::reveal),
            field("clientAssertionKeyId", CLIENT, FieldType.STRING, "Client assertion key id").perEnvironment()
                    .help("The kid put in private_key_jwt assertions, so the provider finds the public key")
                    .text(s -> s.client().assertionKeyId().orElse(null), Builder::clientAssertionKeyId),

            field("scope", TOKEN_REQUEST, FieldType.STRING, "Scope").defaultValue("").perEnvironment()
                    .help("Space-separated scope tokens requested (RFC 6749 section 3.3)")
                    .text(s -> s.tokenRequest().scope().toString(), Builder::scope),
            field("includeScope", TOKEN_REQUEST, FieldType.BOOLEAN, "Send scope").defaultValue(true)
                    .help("Whether token requests carry the scope parameter; some providers refuse it")
                    .bind(s -> s.tokenRequest().includeScope(), Builder::includeScope, SystemFields::bool,
                            String::valueOf),
            field("bodyFormat", TOKEN_REQUEST, FieldType.ENUM, "Request body format").templateQuirk()
                    .defaultValue(BodyFormat.FORM.name())
                    .values(Arrays.stream(BodyFormat.values()).map(Enum::name).toList())
                    .help("How the token request body is encoded: FORM (standard) or JSON")
                    .bind(s -> s.tokenRequest().bodyFormat(), Builder::bodyFormat, SystemFields::bodyFormat,
                            BodyFormat::name),
            field("tokenResponseKey", TOKEN_REQUEST, FieldType.STRING, "Token key path").templateQuirk()
                    .defaultValue(ConnectedSystem.DEFAULT_TOKEN_RESPONSE_KEY)
                    .help("Where the access token sits in the response: a key, or a dotted path such as data.token")
                    .text(s -> s.tokenRequest().tokenResponseKey(), Builder::tokenResponseKey),
            field("extraQueryParameters", TOKEN_REQUEST, FieldType.MAP, "Extra query parameters").configKey("extra-query")
                    .templateQuirk()
                    .help("Added to the token endpoint URL; values may hold ${variable} templates")
                    .map(s -> s.tokenRequest().extraQueryParameters(), Builder::extraQueryParameters),
            field("extraFormParameters", TOKEN_REQUEST, FieldType.MAP, "Extra form parameters").configKey("extra-form")
                    .templateQuirk()
                    .help("Added to the token request body; values may hold ${variable} templates")
                    .map(s -> s.tokenRequest().extraFormParameters(), Builder::extraFormParameters),
            field("extraHeaders", TOKEN_REQUEST, FieldType.MAP, "Extra headers").configKey("extra-header")
                    .templateQuirk()
                    .help("Added to the token request; values may hold ${variable} templates")
                    .map(s -> s.tokenRequest().extraHeaders(), Builder::extraHeaders),
            field("extraAuthorizationParameters", TOKEN_REQUEST, FieldType.MAP, "Extra authorization parameters")
                    .configKey("extra-authorization").grants(AUTHORIZATION_CODE).templateQuirk()
                    .help("Added to the authorization request only, e.g. access_type=offline; values may hold "
                            + "${variable} templates of plain variables")
                    .map(s -> s.tokenRequest().extraAuthorizationParameters(), Builder::extraAuthorizationParameters),
            field("bearerTokenTypes", TOKEN_REQUEST, FieldType.LIST, "Bearer token types").items(FieldType.STRING)
                    .templateQuirk()
                    .help("token_type values the provider uses for tokens sent as Bearer tokens, e.g. user (Slack); "
                            + "Bearer is always accepted")
                    .bind(s -> s.tokenRequest().bearerTokenTypes(), Builder::bearerTokenTypes, SystemFields::names,
                            types -> String.join(",", types)),

            field("retryPolicy.maxAttempts", LIFECYCLE, FieldType.INTEGER, "Attempts").configKey("max-attempts")
                    .range(1, 10)
                    .defaultValue(RetryPolicy.DEFAULT.maxAttempts())
                    .help("Token requests at most per acquisition, 1 to 10, before the system is disabled")
                    .bind(s -> s.lifecycle().retryPolicy().maxAttempts(), Builder::retryMaxAttempts,
                            Integer::valueOf, String::valueOf),
            field("retryPolicy.maxWaitSeconds", LIFECYCLE, FieldType.DURATION, "Retry budget").configKey("max-wait")
                    .range(1, 600)
                    .defaultValue(RetryPolicy.DEFAULT.maxWait().toSeconds())
                    .help("Seconds all attempts may take together, backoff included, 1 to 600")
                    .duration(s -> s.lifecycle().retryPolicy().maxWait(), Builder::retryMaxWait),
            field("defaultTokenLifetimeSeconds", LIFECYCLE, FieldType.DURATION, "Default token lifetime")
                    .configKey("default-token-lifetime").range(1, Duration.ofDays(365).toSeconds()).templateQuirk()
                    .defaultValue(ConnectedSystem.DEFAULT_TOKEN_LIFETIME.toSeconds())
                    .help("Seconds a token is taken to live when the response has no expires_in")
                    .duration(s -> s.lifecycle().defaultTokenLifetime(), Builder::defaultTokenLifetime),
            field("refreshAheadSeconds", LIFECYCLE, FieldType.DURATION, "Refresh ahead").configKey("refresh-ahead")
                    .range(1, Duration.ofHours(1).toSeconds())
                    .defaultValue(ConnectedSystem.DEFAULT_REFRESH_AHEAD.toSeconds())
                    .help("Seconds at most before expiry a token is renewed (at most half its lifetime)")
                    .duration(s -> s.lifecycle().refreshAhead(), Builder::refreshAhead),
            field("tokenRejectedStatuses", LIFECYCLE, FieldType.LIST, "Token rejected statuses")
                    .items(FieldType.INTEGER).range(400, 599)
                    .defaultValue(List.copyOf(ConnectedSystem.DEFAULT_TOKEN_REJECTED_STATUSES.stream().sorted().toList()))
                    .help("Resource server statuses that mean the token was refused: renew it and retry once")
                    .bind(s -> s.lifecycle().tokenRejectedStatuses(), Builder::tokenRejectedStatuses,
                            SystemFields::statuses, SystemFields::statusText),
            // no default here: left out, the server-wide conduit.tokens.renewal-window-seconds applies
            field("renewalWindowSeconds", LIFECYCLE, FieldType.DURATION, "Renewal window").configKey("renewal-window")
                    .range(1, ConnectedSystem.MAX_RENEWAL_WINDOW.toSeconds())
                    .help("Seconds: a token the resource server rejects is renewed at most once per window, and a token "
                            + "whose renewal failed is served (while valid) and renewed again after it; left empty, "
                            + "the server's conduit.tokens.renewal-window-seconds (default 30)")
                    .duration(s -> s.lifecycle().renewalWindow().orElse(null), Builder::renewalWindow),

            field("integrationBaseUrl", INTEGRATION, FieldType.URL, "Integration base URL").perEnvironment()
                    .help("The resource server's base URL; the token is sent only to URLs under it")
                    .text(s -> s.integration().baseUrl().orElse(null), Builder::integrationBaseUrl),
            // no default here: left out, the server-wide conduit.integration.deadline-seconds applies
            field("callDeadlineSeconds", INTEGRATION, FieldType.DURATION, "Call deadline").configKey("call-deadline")
                    .range(1, ConnectedSystem.MAX_CALL_DEADLINE.toSeconds())
                    .help("Seconds one integration call may take, headers and whole body, the retry after a rejected "
                            + "token included (504 INTEGRATION_CALL_TIMEOUT after it); left empty, the server's "
                            + "conduit.integration.deadline-seconds (default 30)")
                    .duration(s -> s.integration().callDeadline().orElse(null), Builder::callDeadline),

            field("variables", VARIABLES, FieldType.MAP, "Variables").perEnvironment()
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

    /** The fields whose values are URLs the endpoint policy checks, in catalogue order. */
    public static List<SystemField> urls() {
        return ALL.stream().filter(SystemField::isUrl).toList();
    }

    /** The write-only fields (client secret, assertion key), in catalogue order. */
    public static List<SystemField> secrets() {
        return ALL.stream().filter(SystemField::secret).toList();
    }

    /** The fields a provider template may set under {@code quirks}, in catalogue order. */
    public static List<SystemField> templateQuirks() {
        return ALL.stream().filter(SystemField::templateQuirk).toList();
    }

    /** The fields an export's customization file carries, in catalogue order. */
    public static List<SystemField> perEnvironment() {
        return ALL.stream().filter(SystemField::perEnvironment).toList();
    }

    /** {@code true} or {@code false}, in any case; anything else is not a boolean. */
    static boolean bool(String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(value);
        }
        return Boolean.parseBoolean(value);
    }

    /** ISO-8601 ({@code PT30S}) or whole seconds. */
    public static Duration duration(String value) {
        try {
            return value.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(value, e);
        }
    }

    private static BodyFormat bodyFormat(String value) {
        try {
            return BodyFormat.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConduitException.invalidField("bodyFormat", "'" + value + "' is not FORM or JSON");
        }
    }

    private static Set<Integer> statuses(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> names(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private static String statusText(Set<Integer> statuses) {
        return statuses.stream().map(String::valueOf).collect(Collectors.joining(","));
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
        private String configKey;
        private boolean perEnvironment;
        private FieldType itemType;
        private long min = Long.MIN_VALUE;
        private long max = Long.MAX_VALUE;
        private boolean templateQuirk;
        private SystemField.Binding<?> binding;

        Draft(String name, FieldGroup group, FieldType type, String label) {
            this.name = name;
            this.group = group;
            this.type = type;
            this.label = label;
            // tokenEndpoint -> token-endpoint
            this.configKey = name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        }

        Draft required() { required = true; return this; }
        Draft grants(String... types) { grantTypes = new ArrayList<>(List.of(types)); return this; }
        Draft help(String text) { help = text; return this; }
        Draft defaultValue(Object value) { defaultValue = value; return this; }
        Draft values(List<String> allowed) { values = allowed; return this; }
        Draft configKey(String key) { configKey = key; return this; }
        Draft perEnvironment() { perEnvironment = true; return this; }
        Draft items(FieldType type) { itemType = type; return this; }
        Draft range(long least, long greatest) { min = least; max = greatest; return this; }
        Draft templateQuirk() { templateQuirk = true; return this; }

        <T> Draft bind(Function<ConnectedSystem, T> get, BiConsumer<Builder, T> set, Function<String, T> parse,
                Function<T, String> format) {
            binding = new SystemField.Binding<>(get, set, parse, format);
            return this;
        }

        Draft text(Function<ConnectedSystem, String> get, BiConsumer<Builder, String> set) {
            return bind(get, set, Function.identity(), Function.identity());
        }

        Draft duration(Function<ConnectedSystem, Duration> get, BiConsumer<Builder, Duration> set) {
            return bind(get, set, SystemFields::duration, Duration::toString);
        }

        Draft map(Function<ConnectedSystem, Map<String, String>> get, BiConsumer<Builder, Map<String, String>> set) {
            return bind(get, set, text -> {
                throw new IllegalArgumentException(name + " is a map: give each entry under " + configKey + ".<key>");
            }, Object::toString);
        }

        SystemField done() {
            return new SystemField(name, group, label, type, required, grantTypes, help, defaultValue, values,
                    configKey, perEnvironment, itemType, min, max, templateQuirk, Optional.ofNullable(binding));
        }
    }
}
