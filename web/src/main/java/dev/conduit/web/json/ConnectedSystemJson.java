package dev.conduit.web.json;

import dev.conduit.api.ConduitException;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.TemplateReference;
import dev.conduit.api.system.Variable;
import dev.conduit.core.schema.FieldType;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A connected system's configuration as a JSON object, member by member as {@link SystemFields} describes the fields:
 * the REST representation and the stored document are both this object, so a field described there needs no code
 * here. A dotted field name ({@code retryPolicy.maxAttempts}) is a member of a nested object; a duration is a whole
 * number of seconds; a secret is write-only. The provider template reference and the variables are the two members
 * that hold more than one value, and are spelt out here once.
 */
public final class ConnectedSystemJson {

    private static final String TEMPLATE = "template";
    private static final String VARIABLES = "variables";

    /** The top-level configuration members, e.g. {@code retryPolicy} for {@code retryPolicy.maxAttempts}. */
    public static final Set<String> MEMBERS;

    static {
        Set<String> members = new LinkedHashSet<>();
        SystemFields.all().forEach(f -> members.add(parent(f.name()).orElse(f.name())));
        MEMBERS = Set.copyOf(members);
    }

    private ConnectedSystemJson() {
    }

    /**
     * The configuration without any secret value: each secret variable shows {@code valueSet} instead of its value.
     * Members without a value are left out.
     */
    public static JsonObjectBuilder write(ConnectedSystem s) {
        JsonObjectBuilder json = SharedJson.createObjectBuilder();
        Map<String, JsonObjectBuilder> nested = new LinkedHashMap<>();
        for (SystemField field : SystemFields.all()) {
            if (field.secret() || field.binding().isEmpty() || field.get(s) == null) {
                continue;
            }
            Optional<String> parent = parent(field.name());
            JsonObjectBuilder target = parent.map(p -> nested.computeIfAbsent(p, k -> SharedJson.createObjectBuilder()))
                    .orElse(json);
            target.add(child(field.name()), value(field, s));
        }
        nested.forEach(json::add);
        s.template().ifPresent(t -> json.add(TEMPLATE, SharedJson.createObjectBuilder().add("id", t.id())
                .add("version", t.version())));
        JsonObjectBuilder variables = SharedJson.createObjectBuilder();
        for (Variable v : s.variables().values()) {
            JsonObjectBuilder variable = SharedJson.createObjectBuilder().add("secret", v.secret());
            if (v.secret()) {
                variable.add("valueSet", v.secretValue() != null);
            } else {
                variable.add("value", v.plainValue());
            }
            variables.add(v.name(), variable);
        }
        json.add(VARIABLES, variables);
        return json;
    }

    /**
     * Sets every configuration member {@code in} holds on {@code b}; members it leaves out keep the builder's defaults,
     * except secrets (the client secret, a secret variable's value) and the template reference, which the
     * {@code stored} system keeps, so that write-only values survive an edit that does not repeat them. Members outside
     * {@link #MEMBERS} are not looked at: the caller decides whether they are an error.
     *
     * @throws ConduitException {@code INVALID_REQUEST} for a member of the wrong JSON type, {@code INVALID_CONFIGURATION}
     *                          for a value the field does not take; both name the member
     */
    public static ConnectedSystem.Builder read(JsonFields in, ConnectedSystem.Builder b,
            Optional<ConnectedSystem> stored) {
        Map<String, JsonFields> nested = new LinkedHashMap<>();
        for (SystemField field : SystemFields.all()) {
            if (field.binding().isEmpty()) {
                continue;
            }
            Optional<String> parent = parent(field.name());
            JsonFields source = parent.isEmpty() ? in : nested.computeIfAbsent(parent.get(), p -> nestedObject(in, p));
            if (source != null) {
                read(field, source, child(field.name()), b, stored);
            }
        }
        b.template(template(in, stored));
        readVariables(in, stored, b);
        return b;
    }

    private static JsonValue value(SystemField field, ConnectedSystem s) {
        Object value = field.get(s);
        return switch (field.type()) {
            case BOOLEAN -> (Boolean) value ? JsonValue.TRUE : JsonValue.FALSE;
            case INTEGER -> SharedJson.createValue(((Number) value).longValue());
            case DURATION -> SharedJson.createValue(((Duration) value).toSeconds());
            case LIST -> {
                JsonArrayBuilder array = SharedJson.createArrayBuilder();
                ((Collection<?>) value).forEach(item -> array.add(item instanceof Number n
                        ? SharedJson.createValue(n.longValue()) : SharedJson.createValue(item.toString())));
                yield array.build();
            }
            case MAP -> {
                JsonObjectBuilder map = SharedJson.createObjectBuilder();
                ((Map<?, ?>) value).forEach((k, v) -> map.add(k.toString(), v.toString()));
                yield map.build();
            }
            default -> SharedJson.createValue(field.text(s));
        };
    }

    private static void read(SystemField field, JsonFields in, String member, ConnectedSystem.Builder b,
            Optional<ConnectedSystem> stored) {
        switch (field.type()) {
            case BOOLEAN -> Optional.ofNullable(in.bool(member)).ifPresent(v -> field.set(b, v));
            case INTEGER -> Optional.ofNullable(in.integer(member, field.min(), field.max()))
                    .ifPresent(v -> field.set(b, v.intValue()));
            case DURATION -> Optional.ofNullable(in.integer(member, field.min(), field.max()))
                    .ifPresent(v -> field.set(b, Duration.ofSeconds(v)));
            case LIST -> Optional.ofNullable(in.array(member)).ifPresent(v -> field.set(b, items(field, v)));
            case MAP -> field.set(b, in.stringMap(member));
            case SECRET -> field.set(b, secret(field, in.string(member), stored));
            default -> Optional.ofNullable(in.string(member)).ifPresent(v -> field.setText(b, v));
        }
    }

    /** A secret given, or the stored one when left out; never empty, since an empty secret is a mistake. */
    private static Secret secret(SystemField field, String given, Optional<ConnectedSystem> stored) {
        if (given == null) {
            return stored.map(s -> (Secret) field.get(s)).orElse(null);
        }
        if (given.isBlank()) {
            throw ConduitException.invalidField(field.name(), "must not be empty; leave it out to keep the stored "
                    + field.label().toLowerCase(java.util.Locale.ROOT));
        }
        return Secret.of(given);
    }

    private static Set<?> items(SystemField field, JsonArray array) {
        Set<Object> items = new LinkedHashSet<>();
        for (JsonValue item : array) {
            if (field.itemType() == FieldType.INTEGER) {
                if (!(item instanceof JsonNumber n) || !n.isIntegral()) {
                    throw ConduitException.invalidField(field.name(), "must be a list of whole numbers such as "
                            + field.defaultValue());
                }
                long value = n.longValue();
                if (value < field.min() || value > field.max()) {
                    throw ConduitException.invalidField(field.name(), "must hold numbers from " + field.min() + " to "
                            + field.max() + ", was " + value);
                }
                items.add((int) value);
            } else if (item instanceof JsonString text) {
                items.add(text.getString());
            } else {
                throw ConduitException.invalidField(field.name(), "must be a list of strings such as [\"user\"]");
            }
        }
        return items;
    }

    /**
     * The provider template the system came from: {@code {id, version}}; left out, the stored one is kept, so an edit by
     * hand does not lose where the system came from.
     */
    private static TemplateReference template(JsonFields in, Optional<ConnectedSystem> stored) {
        JsonFields t = in.object(TEMPLATE);
        if (t == null) {
            return stored.flatMap(ConnectedSystem::template).orElse(null);
        }
        t.allowOnly(Set.of("id", "version"));
        String id = t.string("id");
        SystemField versionField = SystemFields.byName(TEMPLATE + ".version").orElseThrow();
        Long version = t.integer("version", versionField.min(), versionField.max());
        if (id == null || version == null) {
            throw ConduitException.invalidField(in.name(TEMPLATE),
                    "must be {\"id\": \"<template id>\", \"version\": <number>}; to create from a template, "
                            + "give its id as a string");
        }
        return new TemplateReference(id, version.intValue());
    }

    private static void readVariables(JsonFields in, Optional<ConnectedSystem> stored, ConnectedSystem.Builder b) {
        JsonFields variables = in.object(VARIABLES);
        if (variables == null) {
            return;
        }
        for (String name : variables.names()) {
            JsonFields v = variables.object(name);
            if (v == null) {
                throw variables.invalid(name, "must be an object such as {\"value\": \"acme\"} or "
                        + "{\"secret\": true, \"value\": \"...\"}");
            }
            v.allowOnly(Set.of("value", "secret", "valueSet"));
            boolean secret = Boolean.TRUE.equals(v.bool("secret"));
            String value = v.string("value");
            if (secret) {
                Secret kept = value == null
                        ? stored.map(s -> s.variables().get(name)).filter(Variable::secret).map(Variable::secretValue)
                                .orElse(null)
                        : Secret.ofNullable(value);
                b.variable(Variable.secret(name, kept));
            } else {
                if (value == null) {
                    throw v.invalid("value", "is required for a plain variable");
                }
                b.variable(Variable.plain(name, value));
            }
        }
    }

    /** The nested object a dotted field lives in, checked for members no field describes; {@code null} when absent. */
    private static JsonFields nestedObject(JsonFields in, String parent) {
        JsonFields object = in.object(parent);
        if (object != null) {
            Set<String> children = new LinkedHashSet<>();
            SystemFields.all().stream().filter(f -> f.name().startsWith(parent + "."))
                    .forEach(f -> children.add(child(f.name())));
            object.allowOnly(children);
        }
        return object;
    }

    private static Optional<String> parent(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? Optional.empty() : Optional.of(name.substring(0, dot));
    }

    private static String child(String name) {
        return name.substring(name.indexOf('.') + 1);
    }
}
