package dev.conduit.web.system;

import dev.conduit.core.schema.SystemFields;
import dev.conduit.core.schema.SystemField;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The names of the fields an edit changed, for the audit trail and the {@code PUT} answer: the configuration compared
 * as the API writes it (dotted paths into nested objects), and the write-only secrets compared by value, named but
 * never shown.
 */
public final class ChangedFields {

    private ChangedFields() {
    }

    /** The changed field names, sorted; empty when nothing changed. */
    public static Set<String> between(ConnectedSystem before, ConnectedSystem after) {
        Map<String, JsonValue> old = flatten(SystemJson.write(before).build());
        Map<String, JsonValue> now = flatten(SystemJson.write(after).build());
        Set<String> changed = new TreeSet<>();
        Set<String> paths = new TreeSet<>(old.keySet());
        paths.addAll(now.keySet());
        for (String path : paths) {
            if (!path.equals("version") && !path.endsWith("Set") && !Objects.equals(old.get(path), now.get(path))) {
                changed.add(path);
            }
        }
        for (SystemField secret : SystemFields.secrets()) {
            if (!Objects.equals(secret.get(before), secret.get(after))) {
                changed.add(secret.name());
            }
        }
        for (Variable variable : after.variables().values()) {
            Variable previous = before.variables().get(variable.name());
            if (variable.secret() && (previous == null
                    || !Objects.equals(previous.secretValue(), variable.secretValue()))) {
                changed.add("variables." + variable.name() + ".value");
            }
        }
        return changed;
    }

    private static Map<String, JsonValue> flatten(JsonObject json) {
        Map<String, JsonValue> flat = new TreeMap<>();
        flatten("", json, flat);
        return flat;
    }

    private static void flatten(String prefix, JsonObject json, Map<String, JsonValue> into) {
        json.forEach((key, value) -> {
            if (value instanceof JsonObject nested && !nested.isEmpty()) {
                flatten(prefix + key + ".", nested, into);
            } else {
                into.put(prefix + key, value);
            }
        });
    }
}
