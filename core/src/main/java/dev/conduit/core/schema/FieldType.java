package dev.conduit.core.schema;

import java.util.Locale;

/**
 * The kind of value a field holds, as clients see it. In JSON: {@code string}, {@code url} and {@code enum} are strings,
 * {@code secret} a write-only string, {@code duration} a whole number of seconds, {@code list} an array, {@code map} an
 * object.
 */
public enum FieldType {
    STRING, URL, SECRET, BOOLEAN, INTEGER, DURATION, ENUM, LIST, MAP;

    /** The name used in the schema document, e.g. {@code url}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
