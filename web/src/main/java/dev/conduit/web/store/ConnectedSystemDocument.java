package dev.conduit.web.store;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Scope;
import dev.conduit.api.system.Variable;
import dev.conduit.core.schema.FieldType;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import dev.conduit.web.json.ConnectedSystemJson;
import dev.conduit.web.json.JsonFields;
import dev.conduit.web.json.SharedJson;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A connected system's configuration as stored: a JSON document that holds no secret, and a separate secrets document
 * that is only ever stored encrypted. Both are written and read member by member from the field description
 * ({@link ConnectedSystemJson}, {@link SystemFields#secrets()}), so a new field needs no code here.
 *
 * <p>The configuration keeps the shape of format 1, which predates the field description, so that a server of an
 * earlier version (a rolling upgrade, a rollback) still reads what this one writes: durations as ISO-8601 text
 * ({@code PT1H}), the scope as a list, the client authentication method by its constant name, the retry policy and the
 * template reference flat, variables as a list. {@link Format1} maps those few members both ways; every other member,
 * and every field added since, is stored as the REST representation holds it.
 */
final class ConnectedSystemDocument {

    /** Bumped when the document's shape changes incompatibly; {@link #read} refuses formats it does not know. */
    static final int FORMAT = 1;

    private static final String VARIABLES = "variables";

    private ConnectedSystemDocument() {
    }

    /** Every secret of one system, by field name, plus the secret variables' values: what is encrypted as a whole. */
    record Secrets(Map<String, String> fields, Map<String, String> variables) {

        Secrets {
            fields = fields == null ? Map.of() : Map.copyOf(fields);
            variables = variables == null ? Map.of() : variables;
        }

        boolean isEmpty() {
            return fields.isEmpty() && variables.isEmpty();
        }

        /** Names what is set, never a value: a record's own toString would print every secret. */
        @Override
        public String toString() {
            return "Secrets[fields=" + new TreeSet<>(fields.keySet()) + ", variables=" + variables.keySet()
                    + ", values=******]";
        }
    }

    static String configurationJson(ConnectedSystem system) {
        return Format1.write(system).toString();
    }

    /** The system's secrets as JSON, or empty when it has none. Only ever handed to the cipher. */
    static Optional<Secret> secretsJson(ConnectedSystem system) {
        JsonObjectBuilder json = SharedJson.createObjectBuilder();
        boolean any = false;
        for (SystemField field : SystemFields.secrets()) {
            Secret value = (Secret) field.get(system);
            if (value != null) {
                json.add(field.name(), value.reveal());
                any = true;
            }
        }
        JsonObjectBuilder variables = SharedJson.createObjectBuilder();
        for (Variable v : system.variables().values()) {
            if (v.secret() && v.secretValue() != null) {
                variables.add(v.name(), v.secretValue().reveal());
                any = true;
            }
        }
        return any ? Optional.of(Secret.of(json.add(VARIABLES, variables).build().toString())) : Optional.empty();
    }

    /**
     * Rebuilds the system from its columns and documents; {@code secrets} is empty when the system has none, or when
     * they could not be decrypted ({@code secretsLost}): then the secret values read as not supplied, unless the
     * system cannot exist without them (a {@code private_key_jwt} key).
     */
    static ConnectedSystem read(String name, long version, String configurationJson, Optional<Secret> secretsJson,
            boolean secretsLost) {
        JsonObject stored;
        try {
            stored = parse(configurationJson);
        } catch (JsonException e) {
            throw unreadable(name, "its stored configuration is not valid JSON", e);
        }
        JsonNumber format = stored.get("format") instanceof JsonNumber n ? n : null;
        if (format == null || format.intValue() != FORMAT) {
            throw unreadable(name, "its document format " + stored.get("format") + " is not " + FORMAT, null);
        }
        Secrets secrets = secretsJson.map(json -> parseSecrets(json, name)).orElse(new Secrets(null, null));
        try {
            return Format1.read(stored, secrets, name, version);
        } catch (ConduitException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            if (secretsLost) {
                throw unreadable(name, "its secrets cannot be decrypted (tampered, or encrypted with a key that is not"
                        + " configured) and it is not valid without them: configure the key that encrypted them, or"
                        + " delete the system and create it again", e);
            }
            throw unreadable(name, "it is no longer a valid configuration (" + e.getMessage() + ")", e);
        }
    }

    /** Like {@link #parse}, but keeps no cause: a parser's message may quote the text, here a secret. */
    private static Secrets parseSecrets(Secret json, String name) {
        try {
            JsonObject secrets = parse(json.reveal());
            Map<String, String> fields = new LinkedHashMap<>();
            for (SystemField field : SystemFields.secrets()) {
                if (secrets.get(field.name()) instanceof JsonString value) {
                    fields.put(field.name(), value.getString());
                }
            }
            Map<String, String> variables = new LinkedHashMap<>();
            if (secrets.get(VARIABLES) instanceof JsonObject stored) {
                stored.forEach((variable, value) -> variables.put(variable, ((JsonString) value).getString()));
            }
            return new Secrets(fields, variables);
        } catch (JsonException | ClassCastException e) {
            throw unreadable(name, "its stored secrets are not valid JSON", null);
        }
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = SharedJson.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static ConduitException unreadable(String name, String why, Throwable cause) {
        return ConduitException.builder(ErrorCode.INTERNAL_ERROR,
                "Stored connected system '" + name + "' cannot be read: " + why).system(name).cause(cause).build();
    }

    /** The members whose stored shape (format 1) differs from the REST representation, mapped both ways. */
    private static final class Format1 {

        /** Members stored under another name; a nested REST member ({@code retryPolicy.maxAttempts}) is stored flat. */
        private static final Map<String, String> RENAMED = Map.of("retryPolicy.maxAttempts", "retryMaxAttempts",
                "retryPolicy.maxWaitSeconds", "retryMaxWait", "defaultTokenLifetimeSeconds", "defaultTokenLifetime",
                "refreshAheadSeconds", "refreshAhead", "renewalWindowSeconds", "renewalWindow",
                "callDeadlineSeconds", "callDeadline");
        private static final String TEMPLATE_ID = "templateId";
        private static final String TEMPLATE_VERSION = "templateVersion";

        private Format1() {
        }

        /** The configuration in format 1; the name is a column of its own. */
        static JsonObject write(ConnectedSystem system) {
            JsonObjectBuilder out = SharedJson.createObjectBuilder().add("format", FORMAT);
            ConnectedSystemJson.write(system).build().forEach((member, value) -> {
                switch (member) {
                    case "name" -> { }
                    case "clientAuthMethod" -> out.add(member,
                            ClientAuthMethod.fromWireName(((JsonString) value).getString()).name());
                    case "scope" -> out.add(member,
                            SharedJson.createArrayBuilder(Scope.parse(((JsonString) value).getString()).tokens()));
                    case "template" -> out.add(TEMPLATE_ID, value.asJsonObject().get("id"))
                            .add(TEMPLATE_VERSION, value.asJsonObject().get("version"));
                    case VARIABLES -> {
                        JsonArrayBuilder variables = SharedJson.createArrayBuilder();
                        value.asJsonObject().forEach((name, v) -> variables.add(SharedJson.createObjectBuilder()
                                .add("name", name).add("secret", v.asJsonObject().getBoolean("secret"))
                                .add("value", v.asJsonObject().getOrDefault("value", JsonValue.NULL))));
                        out.add(member, variables);
                    }
                    default -> {
                        if (isNested(member)) {
                            value.asJsonObject().forEach((child, v) -> out.add(stored(member + "." + child), v));
                        } else {
                            out.add(stored(member), value);
                        }
                    }
                }
            });
            // a duration keeps its precision as ISO-8601 text, where the REST representation shows whole seconds
            // an optional one left unset (the server's setting applies) is left out
            durations().forEach(f -> Optional.ofNullable(f.text(system)).ifPresent(t -> out.add(stored(f.name()), t)));
            return out.build();
        }

        /** Rebuilds the system from a format 1 configuration and the secrets stored with it. */
        static ConnectedSystem read(JsonObject stored, Secrets secrets, String name, long version) {
            JsonObjectBuilder rest = SharedJson.createObjectBuilder();
            Map<String, JsonObjectBuilder> nested = new LinkedHashMap<>();
            stored.forEach((member, value) -> {
                switch (member) {
                    case "format", TEMPLATE_ID, TEMPLATE_VERSION -> { }
                    case "clientAuthMethod" -> rest.add(member,
                            ClientAuthMethod.valueOf(((JsonString) value).getString()).wireName());
                    case "scope" -> rest.add(member,
                            String.join(" ", value.asJsonArray().getValuesAs(JsonString::getString)));
                    case VARIABLES -> rest.add(member, variables(value, secrets.variables()));
                    default -> {
                        String restName = RENAMED.entrySet().stream().filter(e -> e.getValue().equals(member))
                                .map(Map.Entry::getKey).findFirst().orElse(member);
                        int dot = restName.indexOf('.');
                        if (durations().noneMatch(f -> f.name().equals(restName))) {
                            (dot < 0 ? rest : nested.computeIfAbsent(restName.substring(0, dot),
                                    p -> SharedJson.createObjectBuilder())).add(restName.substring(dot + 1), value);
                        }
                    }
                }
            });
            nested.forEach(rest::add);
            if (stored.get(TEMPLATE_ID) instanceof JsonString id
                    && stored.get(TEMPLATE_VERSION) instanceof JsonNumber templateVersion) {
                rest.add("template", SharedJson.createObjectBuilder().add("id", id).add("version", templateVersion));
            }
            secrets.fields().forEach(rest::add);
            ConnectedSystem.Builder builder = ConnectedSystemJson.read(JsonFields.of(rest.build()),
                    ConnectedSystem.builder(), Optional.empty());
            durations().forEach(f -> {
                if (stored.get(stored(f.name())) instanceof JsonString iso) {
                    f.setText(builder, iso.getString());
                }
            });
            return builder.name(name).version(version).build();
        }

        /** Format 1 keeps variables as a list; a secret one has its value in the secrets document. */
        private static JsonObject variables(JsonValue stored, Map<String, String> secretValues) {
            JsonObjectBuilder variables = SharedJson.createObjectBuilder();
            for (JsonObject v : stored.asJsonArray().getValuesAs(JsonObject.class)) {
                String name = v.getString("name");
                boolean secret = v.getBoolean("secret");
                String value = secret ? secretValues.get(name) : v.getString("value", null);
                JsonObjectBuilder variable = SharedJson.createObjectBuilder().add("secret", secret);
                variables.add(name, value == null ? variable : variable.add("value", value));
            }
            return variables.build();
        }

        private static String stored(String restName) {
            return RENAMED.getOrDefault(restName, restName);
        }

        private static boolean isNested(String member) {
            return SystemFields.all().stream().anyMatch(f -> f.name().startsWith(member + "."));
        }

        private static Stream<SystemField> durations() {
            return SystemFields.all().stream().filter(f -> f.type() == FieldType.DURATION);
        }
    }
}
