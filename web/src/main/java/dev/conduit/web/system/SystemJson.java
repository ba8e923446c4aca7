package dev.conduit.web.system;

import dev.conduit.core.schema.SystemFields;
import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.BodyFormat;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.RetryPolicy;
import dev.conduit.api.system.TemplateReference;
import dev.conduit.api.system.Variable;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.administration.SystemDraft;
import dev.conduit.core.policy.SecretDestination;
import dev.conduit.web.json.JsonFields;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A connected system's configuration as JSON, both ways. Secrets are write-only: {@link #read} takes
 * {@code clientSecret} and secret variable values, {@link #write} shows only that they are set.
 *
 * <p>The members a read shows but a write ignores ({@code clientSecretSet}, {@code redirectUri}, {@code status}...)
 * are accepted on input, so that a system read with GET can be changed and sent back with PUT.
 */
public final class SystemJson {

    /** Configuration members. */
    static final Set<String> CONFIGURATION = Set.of("name", "description", "category", "grantType", "tokenEndpoint",
            "authorizationEndpoint", "revocationEndpoint", "introspectionEndpoint", "issuer",
            "issuerParameterSupported", "integrationBaseUrl", "clientId", "clientSecret", "clientAuthMethod",
            "clientAssertionKey", "clientAssertionKeyId", "scope",
            "includeScope", "retryPolicy", "tokenRejectedStatuses", "tokenResponseKey", "bodyFormat", "variables",
            "extraQueryParameters", "extraFormParameters", "extraHeaders", "extraAuthorizationParameters",
            "bearerTokenTypes", "defaultTokenLifetimeSeconds", "refreshAheadSeconds", "template", "version");

    /** Request flags: {@code discover} fills the endpoints from the issuer's metadata. */
    static final Set<String> FLAGS = Set.of("discover");

    /** Members only a read shows; ignored on input. */
    static final Set<String> READ_ONLY = Set.of("clientSecretSet", "tokenScope", "redirectUri", "status",
            "disabledReason", "hint", "errorCode", "statusSince", "tokenTest", "clientSecretRequired", "source",
            "readOnly", "clientAssertionKeySet", "clientAssertionKeyRequired", "lastTokenAt");

    private static final Set<String> ALL;

    static {
        Set<String> all = new LinkedHashSet<>(CONFIGURATION);
        all.addAll(READ_ONLY);
        all.addAll(FLAGS);
        ALL = Set.copyOf(all);
    }

    private SystemJson() {
    }

    /**
     * Builds a system from its JSON, refusing {@code discover} (imports give the endpoints). Where the JSON leaves a
     * secret out, the {@code stored} system's secret is kept (write-only secrets survive an edit that does not repeat
     * them).
     *
     * @param json   the request object
     * @param name   the name from the URL, or {@code null} to take it from the JSON
     * @param stored the system as stored, when this is an edit
     * @throws ConduitException {@code INVALID_REQUEST} or {@code INVALID_CONFIGURATION} naming the field
     */
    public static ConnectedSystem read(JsonObject json, String name, Optional<ConnectedSystem> stored) {
        SystemDraft draft = draft(json, name, stored);
        if (draft.discoverFrom().isPresent()) {
            throw ConduitException.builder(ErrorCode.INVALID_REQUEST,
                    "discover: is not offered here; give the endpoints").field("discover").build();
        }
        return draft.builder().build();
    }

    /**
     * Reads a system from its JSON without calling anything: with {@code "discover": true}, or when it names an
     * {@code issuer} but no {@code tokenEndpoint}, the draft asks {@link SystemAdministration#complete} to fill the
     * endpoints it leaves empty from the issuer's metadata.
     *
     * @throws ConduitException {@code INVALID_CONFIGURATION} ({@code issuer}) when discovery is asked without an
     *                          issuer, or the invalid field
     */
    public static SystemDraft draft(JsonObject json, String name, Optional<ConnectedSystem> stored) {
        JsonFields in = JsonFields.of(json).allowOnly(ALL);
        Set<String> kept = new LinkedHashSet<>();
        ConnectedSystem.Builder b = builder(in, name, stored, kept);
        String issuer = in.string("issuer");
        boolean discover = Boolean.TRUE.equals(in.bool("discover"))
                || issuer != null && !issuer.isBlank() && in.string("tokenEndpoint") == null;
        if (!discover) {
            return SystemDraft.of(b, kept);
        }
        if (issuer == null || issuer.isBlank()) {
            throw ConduitException.invalidField("issuer", "is required to discover the endpoints (discover: true)");
        }
        return new SystemDraft(b, Optional.of(issuer.strip()), in.string("clientAuthMethod") != null,
                in.has("clientAssertionKey") || stored.flatMap(s -> s.client().assertionKey()).isPresent(), kept);
    }

    /** @param kept collects the write-only fields taken from {@code stored} because {@code in} leaves them out */
    private static ConnectedSystem.Builder builder(JsonFields in, String name, Optional<ConnectedSystem> stored,
            Set<String> kept) {
        String bodyName = in.string("name");
        if (name != null && bodyName != null && !bodyName.equals(name)) {
            throw ConduitException.builder(ErrorCode.INVALID_REQUEST,
                    "name: '" + bodyName + "' differs from the name in the URL; a connected system cannot be renamed "
                            + "(create a new one and delete the old)").field("name").build();
        }
        ConnectedSystem.Builder b = ConnectedSystem.builder()
                .name(name != null ? name : bodyName)
                .description(in.string("description"))
                .category(in.string("category"))
                .grantType(in.string("grantType"))
                .tokenEndpoint(in.string("tokenEndpoint"))
                .authorizationEndpoint(in.string("authorizationEndpoint"))
                .revocationEndpoint(in.string("revocationEndpoint"))
                .introspectionEndpoint(in.string("introspectionEndpoint"))
                .issuer(in.string("issuer"))
                .integrationBaseUrl(in.string("integrationBaseUrl"))
                .clientId(in.string("clientId"))
                .scope(in.string("scope"));
        optional(in.bool("issuerParameterSupported")).ifPresent(b::issuerParameterSupported);
        optional(in.bool("includeScope")).ifPresent(b::includeScope);
        b.clientSecret(clientSecret(in, stored, kept));
        b.clientAssertionKey(clientAssertionKey(in, stored, kept));
        b.clientAssertionKeyId(in.string("clientAssertionKeyId"));
        String authMethod = in.string("clientAuthMethod");
        if (authMethod != null) {
            b.clientAuthMethod(ClientAuthMethod.fromWireName(authMethod));
        }
        String bodyFormat = in.string("bodyFormat");
        if (bodyFormat != null) {
            b.bodyFormat(bodyFormat(bodyFormat, in));
        }
        String keyPath = in.string("tokenResponseKey");
        if (keyPath != null) {
            b.tokenResponseKey(keyPath);
        }
        JsonFields retry = in.object("retryPolicy");
        if (retry != null) {
            retry.allowOnly(Set.of("maxAttempts", "maxWaitSeconds"));
            long attempts = Optional.ofNullable(retry.integer("maxAttempts", 1, 10))
                    .orElse((long) RetryPolicy.DEFAULT.maxAttempts());
            long wait = Optional.ofNullable(retry.integer("maxWaitSeconds", 1, 600))
                    .orElse(RetryPolicy.DEFAULT.maxWait().toSeconds());
            b.retryPolicy(new RetryPolicy((int) attempts, Duration.ofSeconds(wait)));
        }
        JsonArray statuses = in.array("tokenRejectedStatuses");
        if (statuses != null) {
            b.tokenRejectedStatuses(statuses(statuses, in.name("tokenRejectedStatuses")));
        }
        Long lifetime = in.integer("defaultTokenLifetimeSeconds", 1, Duration.ofDays(365).toSeconds());
        if (lifetime != null) {
            b.defaultTokenLifetime(Duration.ofSeconds(lifetime));
        }
        Long ahead = in.integer("refreshAheadSeconds", 1, Duration.ofHours(1).toSeconds());
        if (ahead != null) {
            b.refreshAhead(Duration.ofSeconds(ahead));
        }
        b.extraQueryParameters(in.stringMap("extraQueryParameters"));
        b.extraFormParameters(in.stringMap("extraFormParameters"));
        b.extraHeaders(in.stringMap("extraHeaders"));
        b.extraAuthorizationParameters(in.stringMap("extraAuthorizationParameters"));
        JsonArray types = in.array("bearerTokenTypes");
        if (types != null) {
            b.bearerTokenTypes(strings(types, in.name("bearerTokenTypes")));
        }
        b.template(template(in, stored));
        readVariables(in, stored, b, kept);
        Long version = in.integer("version", 0, Long.MAX_VALUE);
        b.version(version != null ? version : stored.map(ConnectedSystem::version).orElse(0L));
        return b;
    }

    /**
     * The configuration as JSON, without secrets: {@code clientSecretSet}, {@code clientAssertionKeySet} and each
     * secret variable's {@code valueSet}.
     */
    public static JsonObjectBuilder write(ConnectedSystem s) {
        JsonObjectBuilder json = writeConfiguration(s);
        SystemFields.secrets().forEach(secret -> json.add(secret.name() + "Set", secret.get(s) != null));
        json.add("version", s.version());
        return json;
    }

    /**
     * The configuration as it goes into an export package: no secret and no version; {@code clientSecretRequired} says
     * that the target environment must supply a client secret in the customization file,
     * {@code clientAssertionKeyRequired} the same of a private_key_jwt signing key.
     */
    public static JsonObject writeForExport(ConnectedSystem s) {
        JsonObjectBuilder json = writeConfiguration(s);
        SystemFields.secrets().forEach(secret -> json.add(secret.name() + "Required", secret.get(s) != null));
        return json.build();
    }

    private static JsonObjectBuilder writeConfiguration(ConnectedSystem s) {
        JsonObjectBuilder json = Json.createObjectBuilder();
        json.add("name", s.name());
        s.description().ifPresent(v -> json.add("description", v));
        s.category().ifPresent(v -> json.add("category", v));
        json.add("grantType", s.grantType());
        json.add("tokenEndpoint", s.endpoints().token());
        s.endpoints().authorization().ifPresent(v -> json.add("authorizationEndpoint", v));
        s.endpoints().revocation().ifPresent(v -> json.add("revocationEndpoint", v));
        s.endpoints().introspection().ifPresent(v -> json.add("introspectionEndpoint", v));
        s.endpoints().issuer().ifPresent(v -> json.add("issuer", v));
        json.add("issuerParameterSupported", s.endpoints().issuerParameterSupported());
        s.integration().baseUrl().ifPresent(v -> json.add("integrationBaseUrl", v));
        json.add("clientId", s.client().id());
        json.add("clientAuthMethod", s.client().method().wireName());
        s.client().assertionKeyId().ifPresent(v -> json.add("clientAssertionKeyId", v));
        json.add("scope", s.tokenRequest().scope().toString());
        json.add("includeScope", s.tokenRequest().includeScope());
        json.add("retryPolicy", Json.createObjectBuilder()
                .add("maxAttempts", s.lifecycle().retryPolicy().maxAttempts())
                .add("maxWaitSeconds", s.lifecycle().retryPolicy().maxWait().toSeconds()));
        JsonArrayBuilder statuses = Json.createArrayBuilder();
        s.lifecycle().tokenRejectedStatuses().forEach(statuses::add);
        json.add("tokenRejectedStatuses", statuses);
        json.add("tokenResponseKey", s.tokenRequest().tokenResponseKey());
        json.add("bodyFormat", s.tokenRequest().bodyFormat().name());
        JsonObjectBuilder variables = Json.createObjectBuilder();
        for (Variable v : s.variables().values()) {
            JsonObjectBuilder variable = Json.createObjectBuilder().add("secret", v.secret());
            if (v.secret()) {
                variable.add("valueSet", v.secretValue() != null);
            } else {
                variable.add("value", v.plainValue());
            }
            variables.add(v.name(), variable);
        }
        json.add("variables", variables);
        json.add("extraQueryParameters", stringMap(s.tokenRequest().extraQueryParameters()));
        json.add("extraFormParameters", stringMap(s.tokenRequest().extraFormParameters()));
        json.add("extraHeaders", stringMap(s.tokenRequest().extraHeaders()));
        json.add("extraAuthorizationParameters", stringMap(s.tokenRequest().extraAuthorizationParameters()));
        json.add("bearerTokenTypes", Json.createArrayBuilder(s.tokenRequest().bearerTokenTypes()));
        s.template().ifPresent(t -> json.add("template",
                Json.createObjectBuilder().add("id", t.id()).add("version", t.version())));
        json.add("defaultTokenLifetimeSeconds", s.lifecycle().defaultTokenLifetime().toSeconds());
        json.add("refreshAheadSeconds", s.lifecycle().refreshAhead().toSeconds());
        return json;
    }

    /**
     * The provider template the system came from: {@code {id, version}}, as a read shows it; left out, the stored one is
     * kept, so an edit by hand does not lose where the system came from.
     */
    private static TemplateReference template(JsonFields in, Optional<ConnectedSystem> stored) {
        JsonFields t = in.object("template");
        if (t == null) {
            return stored.flatMap(ConnectedSystem::template).orElse(null);
        }
        t.allowOnly(Set.of("id", "version"));
        String id = t.string("id");
        Long version = t.integer("version", 1, Integer.MAX_VALUE);
        if (id == null || version == null) {
            throw ConduitException.invalidField(in.name("template"),
                    "must be {\"id\": \"<template id>\", \"version\": <number>}; to create from a template, "
                            + "give its id as a string");
        }
        return new TemplateReference(id, version.intValue());
    }

    private static Set<String> strings(JsonArray array, String field) {
        Set<String> values = new LinkedHashSet<>();
        for (JsonValue value : array) {
            if (!(value instanceof JsonString text)) {
                throw ConduitException.invalidField(field, "must be a list of strings such as [\"user\"]");
            }
            values.add(text.getString());
        }
        return values;
    }

    private static Secret clientSecret(JsonFields in, Optional<ConnectedSystem> stored, Set<String> kept) {
        String secret = in.string("clientSecret");
        if (secret == null) {
            return keep(stored.flatMap(s -> s.client().secret()), SecretDestination.CLIENT_SECRET, kept);
        }
        if (secret.isEmpty()) {
            throw ConduitException.invalidField("clientSecret",
                    "must not be empty; leave it out to keep the stored secret");
        }
        return Secret.of(secret);
    }

    /** The private_key_jwt signing key (PKCS#8 PEM): write-only, kept from the stored system when left out. */
    private static Secret clientAssertionKey(JsonFields in, Optional<ConnectedSystem> stored, Set<String> kept) {
        String key = in.string("clientAssertionKey");
        if (key == null) {
            return keep(stored.flatMap(s -> s.client().assertionKey()), SecretDestination.CLIENT_ASSERTION_KEY, kept);
        }
        if (key.isBlank()) {
            throw ConduitException.invalidField("clientAssertionKey",
                    "must not be empty; leave it out to keep the stored key");
        }
        return Secret.of(key);
    }

    /** The stored secret, noted in {@code kept} as taken from storage. */
    private static Secret keep(Optional<Secret> stored, String field, Set<String> kept) {
        stored.ifPresent(s -> kept.add(field));
        return stored.orElse(null);
    }

    private static void readVariables(JsonFields in, Optional<ConnectedSystem> stored, ConnectedSystem.Builder b,
            Set<String> kept) {
        JsonFields variables = in.object("variables");
        if (variables == null) {
            return;
        }
        for (String name : variables.names()) {
            JsonFields v = variables.object(name);
            if (v == null) {
                throw variables.invalid(name, "must be an object such as {\"value\": \"acme\"} or {\"secret\": true, \"value\": \"...\"}");
            }
            v.allowOnly(Set.of("value", "secret", "valueSet"));
            boolean secret = Boolean.TRUE.equals(v.bool("secret"));
            String value = v.string("value");
            if (secret) {
                Secret secretValue = value == null
                        ? keep(stored.map(s -> s.variables().get(name)).filter(Variable::secret)
                                .map(Variable::secretValue), SecretDestination.VARIABLES + name, kept)
                        : Secret.ofNullable(value);
                b.variable(Variable.secret(name, secretValue));
            } else {
                if (value == null) {
                    throw v.invalid("value", "is required for a plain variable");
                }
                b.variable(Variable.plain(name, value));
            }
        }
    }

    private static BodyFormat bodyFormat(String value, JsonFields in) {
        try {
            return BodyFormat.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConduitException.invalidField(in.name("bodyFormat"), "'" + value + "' is not FORM or JSON");
        }
    }

    private static Set<Integer> statuses(JsonArray array, String field) {
        Set<Integer> statuses = new LinkedHashSet<>();
        for (JsonValue value : array) {
            if (!(value instanceof JsonNumber n) || !n.isIntegral()) {
                throw ConduitException.invalidField(field, "must be a list of HTTP statuses such as [401, 403]");
            }
            long status = n.longValue();
            if (status < 400 || status > 599) {
                throw ConduitException.invalidField(field, "must be 4xx or 5xx statuses, was " + status);
            }
            statuses.add((int) status);
        }
        return statuses;
    }

    private static JsonObjectBuilder stringMap(Map<String, String> map) {
        JsonObjectBuilder json = Json.createObjectBuilder();
        map.forEach(json::add);
        return json;
    }

    private static <T> Optional<T> optional(T value) {
        return Optional.ofNullable(value);
    }
}
