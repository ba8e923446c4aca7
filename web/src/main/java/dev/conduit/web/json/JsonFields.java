package dev.conduit.web.json;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Typed, strict access to the members of a request object: a member of the wrong type, or one the operation does not
 * know, is {@code INVALID_REQUEST} naming the field (with its path, e.g. {@code retryPolicy.maxAttempts}).
 */
public final class JsonFields {

    private final JsonObject json;
    private final String path;

    private JsonFields(JsonObject json, String path) {
        this.json = json;
        this.path = path;
    }

    public static JsonFields of(JsonObject json) {
        return new JsonFields(json, "");
    }

    /** Refuses members outside {@code known}, so that a misspelt field is reported instead of silently ignored. */
    public JsonFields allowOnly(Set<String> known) {
        for (String member : json.keySet()) {
            if (!known.contains(member)) {
                throw invalid(member, "is not a known field; known fields: " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
        return this;
    }

    public boolean has(String member) {
        return json.containsKey(member) && json.get(member).getValueType() != JsonValue.ValueType.NULL;
    }

    /** A string member, or {@code null} when absent or null. */
    public String string(String member) {
        JsonValue value = value(member);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw invalid(member, "must be a string");
    }

    public Boolean bool(String member) {
        JsonValue value = value(member);
        if (value == null) {
            return null;
        }
        if (value == JsonValue.TRUE) {
            return Boolean.TRUE;
        }
        if (value == JsonValue.FALSE) {
            return Boolean.FALSE;
        }
        throw invalid(member, "must be true or false");
    }

    /** A whole number within {@code [min, max]}, or {@code null} when absent. */
    public Long integer(String member, long min, long max) {
        JsonValue value = value(member);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonNumber n) || !n.isIntegral()) {
            throw invalid(member, "must be a whole number");
        }
        long v;
        try {
            v = n.longValueExact();
        } catch (ArithmeticException e) {
            throw invalid(member, "must be between " + min + " and " + max);
        }
        if (v < min || v > max) {
            throw invalid(member, "must be between " + min + " and " + max + ", was " + v);
        }
        return v;
    }

    public JsonFields object(String member) {
        JsonValue value = value(member);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonObject o) {
            return new JsonFields(o, name(member) + ".");
        }
        throw invalid(member, "must be an object");
    }

    public JsonArray array(String member) {
        JsonValue value = value(member);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonArray a) {
            return a;
        }
        throw invalid(member, "must be an array");
    }

    /** An object of string values, e.g. extra parameters; {@code null} when absent. */
    public Map<String, String> stringMap(String member) {
        JsonFields object = object(member);
        if (object == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String key : object.json.keySet()) {
            map.put(key, object.string(key));
            if (map.get(key) == null) {
                throw object.invalid(key, "must be a string");
            }
        }
        return map;
    }

    /** The object itself. */
    public JsonObject json() {
        return json;
    }

    /** The member names, in document order. */
    public Set<String> names() {
        return json.keySet();
    }

    /** The full name of a member, e.g. {@code retryPolicy.maxWaitSeconds}. */
    public String name(String member) {
        return path + member;
    }

    /** An {@code INVALID_REQUEST} naming this member. */
    public ConduitException invalid(String member, String message) {
        return ConduitException.builder(ErrorCode.INVALID_REQUEST, name(member) + ": " + message).field(name(member))
                .build();
    }

    private JsonValue value(String member) {
        JsonValue value = json.get(member);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
    }
}
