package dev.conduit.core.schema;

import java.util.List;
import java.util.Objects;

/**
 * One field of a connected system, as {@link SystemFields} describes it to every representation and to clients.
 *
 * @param name         the JSON key as {@code POST}/{@code PUT} take it; a dotted path for nested JSON, e.g.
 *                     {@code retryPolicy.maxAttempts}
 * @param group        the group the field belongs to
 * @param label        what a form labels it with
 * @param type         the kind of value
 * @param required     whether every system must have it (a grant may require more in its own validation)
 * @param grantTypes   the grant types that use the field; empty when every grant type does
 * @param help         one line saying what the field is for
 * @param defaultValue the value taken when the field is left out, as JSON would hold it ({@code null} when none)
 * @param values       the allowed values of an {@code enum} field, else empty
 */
public record SystemField(String name, FieldGroup group, String label, FieldType type, boolean required,
        List<String> grantTypes, String help, Object defaultValue, List<String> values) {

    public SystemField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        grantTypes = List.copyOf(grantTypes);
        Objects.requireNonNull(help, "help");
        values = List.copyOf(values);
    }

    /** Whether the value is write-only: never shown, never exported, never logged. */
    public boolean secret() {
        return type == FieldType.SECRET;
    }
}
