package dev.conduit.web.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.BodyFormat;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.RetryPolicy;
import dev.conduit.api.system.TemplateReference;
import dev.conduit.api.system.Scope;
import dev.conduit.api.system.Variable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A connected system's configuration as stored: a JSON document that holds no secret, and a separate secrets document
 * that is only ever stored encrypted. Durations are ISO-8601 strings ({@code PT1H}); maps and variables keep their
 * order.
 */
final class ConnectedSystemDocument {

    /** Bumped when the document's shape changes incompatibly; {@link #read} refuses formats it does not know. */
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            // a document written by a newer Conduit (after a rollback) still reads
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ConnectedSystemDocument() {
    }

    /** The configuration without any secret. The name and version are columns of their own. */
    record Configuration(int format, String description, String category, String grantType, String tokenEndpoint,
            String authorizationEndpoint, String revocationEndpoint, String introspectionEndpoint, String issuer,
            boolean issuerParameterSupported, String integrationBaseUrl, String clientId, String clientAuthMethod,
            String clientAssertionKeyId, List<String> scope, boolean includeScope, int retryMaxAttempts,
            String retryMaxWait, Set<Integer> tokenRejectedStatuses, String tokenResponseKey, String bodyFormat,
            List<StoredVariable> variables, Map<String, String> extraQueryParameters,
            Map<String, String> extraFormParameters, Map<String, String> extraHeaders, String defaultTokenLifetime,
            String refreshAhead, Set<String> bearerTokenTypes, Map<String, String> extraAuthorizationParameters,
            String templateId, Integer templateVersion) {
    }

    /** A variable; a secret one has no value here (its value is in {@link Secrets}). */
    record StoredVariable(String name, boolean secret, String value) {
    }

    /** Every secret of one system: what is encrypted as a whole. */
    record Secrets(String clientSecret, String clientAssertionKey, Map<String, String> variables) {

        Secrets {
            variables = variables == null ? Map.of() : variables;
        }

        boolean isEmpty() {
            return clientSecret == null && clientAssertionKey == null && variables.isEmpty();
        }

        /** Names what is set, never a value: a record's own toString would print every secret. */
        @Override
        public String toString() {
            return "Secrets[clientSecret=" + (clientSecret == null ? "none" : "******") + ", clientAssertionKey="
                    + (clientAssertionKey == null ? "none" : "******") + ", variables=" + variables.keySet() + "]";
        }
    }

    static String configurationJson(ConnectedSystem system) {
        List<StoredVariable> variables = new ArrayList<>();
        system.variables().values().forEach(v -> variables.add(new StoredVariable(v.name(), v.secret(), v.plainValue())));
        RetryPolicy retry = system.lifecycle().retryPolicy();
        Configuration document = new Configuration(FORMAT, system.description().orElse(null),
                system.category().orElse(null), system.grantType(), system.endpoints().token(),
                system.endpoints().authorization().orElse(null), system.endpoints().revocation().orElse(null),
                system.endpoints().introspection().orElse(null), system.endpoints().issuer().orElse(null),
                system.endpoints().issuerParameterSupported(), system.integration().baseUrl().orElse(null), system.client().id(),
                system.client().method().name(), system.client().assertionKeyId().orElse(null), system.tokenRequest().scope().tokens(),
                system.tokenRequest().includeScope(), retry.maxAttempts(), retry.maxWait().toString(),
                system.lifecycle().tokenRejectedStatuses(), system.tokenRequest().tokenResponseKey(),
                system.tokenRequest().bodyFormat().name(), variables, system.tokenRequest().extraQueryParameters(), system.tokenRequest().extraFormParameters(),
                system.tokenRequest().extraHeaders(), system.lifecycle().defaultTokenLifetime().toString(), system.lifecycle().refreshAhead().toString(),
                system.tokenRequest().bearerTokenTypes(), system.tokenRequest().extraAuthorizationParameters(),
                system.template().map(TemplateReference::id).orElse(null),
                system.template().map(TemplateReference::version).orElse(null));
        return write(document, system.name());
    }

    /** The system's secrets as JSON, or empty when it has none. Only ever handed to the cipher. */
    static Optional<Secret> secretsJson(ConnectedSystem system) {
        Map<String, String> variables = new LinkedHashMap<>();
        system.variables().values().stream()
                .filter(v -> v.secret() && v.secretValue() != null)
                .forEach(v -> variables.put(v.name(), v.secretValue().reveal()));
        Secrets secrets = new Secrets(system.client().secret().map(Secret::reveal).orElse(null),
                system.client().assertionKey().map(Secret::reveal).orElse(null), variables);
        return secrets.isEmpty() ? Optional.empty() : Optional.of(Secret.of(write(secrets, system.name())));
    }

    /**
     * Rebuilds the system from its columns and documents; {@code secrets} is empty when the system has none, or when
     * they could not be decrypted ({@code secretsLost}): then the secret values read as not supplied, unless the
     * system cannot exist without them (a {@code private_key_jwt} key).
     */
    static ConnectedSystem read(String name, long version, String configurationJson, Optional<Secret> secretsJson,
            boolean secretsLost) {
        Configuration c = parse(configurationJson, Configuration.class, name);
        if (c.format() != FORMAT) {
            throw unreadable(name, "its document format " + c.format() + " is not " + FORMAT, null);
        }
        Secrets secrets = secretsJson.map(json -> parseSecrets(json, name)).orElse(new Secrets(null, null, Map.of()));
        try {
            ConnectedSystem.Builder builder = ConnectedSystem.builder()
                    .name(name)
                    .version(version)
                    .description(c.description())
                    .category(c.category())
                    .grantType(c.grantType())
                    .tokenEndpoint(c.tokenEndpoint())
                    .authorizationEndpoint(c.authorizationEndpoint())
                    .revocationEndpoint(c.revocationEndpoint())
                    .introspectionEndpoint(c.introspectionEndpoint())
                    .issuer(c.issuer())
                    .issuerParameterSupported(c.issuerParameterSupported())
                    .integrationBaseUrl(c.integrationBaseUrl())
                    .clientId(c.clientId())
                    .clientSecret(Secret.ofNullable(secrets.clientSecret()))
                    .clientAuthMethod(ClientAuthMethod.valueOf(c.clientAuthMethod()))
                    .clientAssertionKey(Secret.ofNullable(secrets.clientAssertionKey()))
                    .clientAssertionKeyId(c.clientAssertionKeyId())
                    .scope(new Scope(c.scope()))
                    .includeScope(c.includeScope())
                    .retryPolicy(new RetryPolicy(c.retryMaxAttempts(), Duration.parse(c.retryMaxWait())))
                    .tokenRejectedStatuses(c.tokenRejectedStatuses())
                    .tokenResponseKey(c.tokenResponseKey())
                    .bodyFormat(BodyFormat.valueOf(c.bodyFormat()))
                    .extraQueryParameters(c.extraQueryParameters())
                    .extraFormParameters(c.extraFormParameters())
                    .extraHeaders(c.extraHeaders())
                    .defaultTokenLifetime(Duration.parse(c.defaultTokenLifetime()))
                    .refreshAhead(Duration.parse(c.refreshAhead()))
                    // members added after format 1 was first written: absent (null) in older documents
                    .bearerTokenTypes(c.bearerTokenTypes())
                    .extraAuthorizationParameters(c.extraAuthorizationParameters());
            if (c.templateId() != null && c.templateVersion() != null) {
                builder.template(new TemplateReference(c.templateId(), c.templateVersion()));
            }
            for (StoredVariable v : c.variables()) {
                builder.variable(v.secret()
                        ? Variable.secret(v.name(), Secret.ofNullable(secrets.variables().get(v.name())))
                        : Variable.plain(v.name(), v.value()));
            }
            return builder.build();
        } catch (ConduitException | IllegalArgumentException | NullPointerException e) {
            if (secretsLost) {
                throw unreadable(name, "its secrets cannot be decrypted (tampered, or encrypted with a key that is not"
                        + " configured) and it is not valid without them: configure the key that encrypted them, or"
                        + " delete the system and create it again", e);
            }
            throw unreadable(name, "it is no longer a valid configuration (" + e.getMessage() + ")", e);
        }
    }

    private static String write(Object document, String name) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            // Jackson's message could quote a value; the cause stays for the log only
            throw ConduitException.builder(ErrorCode.INTERNAL_ERROR,
                    "Connected system '" + name + "' could not be written as JSON").system(name).cause(e).build();
        }
    }

    private static <T> T parse(String json, Class<T> type, String name) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw unreadable(name, "its stored " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + " is not valid JSON", e);
        }
    }

    /** Like {@link #parse}, but keeps no cause: a parser's message may quote the text, here a secret. */
    private static Secrets parseSecrets(Secret json, String name) {
        try {
            return JSON.readValue(json.reveal(), Secrets.class);
        } catch (JsonProcessingException e) {
            throw unreadable(name, "its stored secrets are not valid JSON", null);
        }
    }

    private static ConduitException unreadable(String name, String why, Throwable cause) {
        return ConduitException.builder(ErrorCode.INTERNAL_ERROR,
                "Stored connected system '" + name + "' cannot be read: " + why).system(name).cause(cause).build();
    }
}
