package dev.conduit.web.system;

import dev.conduit.core.schema.FieldGroup;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import dev.conduit.web.json.SharedJson;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.List;

/**
 * The field description of {@link SystemFields} as clients read it: {@code {"groups": [{"name", "label", "fields":
 * [{"name", "label", "type", "required", "secret", "grantTypes", "help", "default", "values"}]}]}}. The grant type's
 * values are the grants installed on this server.
 */
final class SystemSchema {

    private SystemSchema() {
    }

    static JsonObject document(Collection<String> installedGrantTypes) {
        JsonArrayBuilder groups = SharedJson.createArrayBuilder();
        for (FieldGroup group : FieldGroup.values()) {
            JsonArrayBuilder fields = SharedJson.createArrayBuilder();
            SystemFields.all().stream().filter(f -> f.group() == group)
                    .forEach(f -> fields.add(field(f, installedGrantTypes)));
            groups.add(SharedJson.createObjectBuilder().add("name", group.jsonName()).add("label", group.label())
                    .add("fields", fields));
        }
        return SharedJson.createObjectBuilder().add("groups", groups).build();
    }

    private static JsonObjectBuilder field(SystemField f, Collection<String> installedGrantTypes) {
        List<String> values = f.name().equals("grantType") ? installedGrantTypes.stream().sorted().toList() : f.values();
        return SharedJson.createObjectBuilder()
                .add("name", f.name())
                .add("label", f.label())
                .add("type", f.type().jsonName())
                .add("required", f.required())
                .add("secret", f.secret())
                .add("grantTypes", f.grantTypes().isEmpty() ? JsonValue.NULL : strings(f.grantTypes()))
                .add("help", f.help())
                .add("default", json(f.defaultValue()))
                .add("values", values.isEmpty() ? JsonValue.NULL : strings(values));
    }

    private static JsonValue strings(Collection<String> values) {
        JsonArrayBuilder array = SharedJson.createArrayBuilder();
        values.forEach(array::add);
        return array.build();
    }

    private static JsonValue json(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Number n) {
            return SharedJson.createValue(n.longValue());
        }
        if (value instanceof Collection<?> list) {
            JsonArrayBuilder array = SharedJson.createArrayBuilder();
            list.forEach(v -> array.add(json(v)));
            return array.build();
        }
        return SharedJson.createValue(value.toString());
    }
}
