package dev.conduit.core.schema;

import dev.conduit.api.system.ConnectedSystem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One field of a connected system, as {@link SystemFields} describes it to every representation and to clients.
 *
 * @param name          the JSON key as {@code POST}/{@code PUT} take it; a dotted path for nested JSON, e.g.
 *                      {@code retryPolicy.maxAttempts}
 * @param group         the group the field belongs to
 * @param label         what a form labels it with
 * @param type          the kind of value
 * @param required      whether every system must have it (a grant may require more in its own validation)
 * @param grantTypes    the grant types that use the field; empty when every grant type does
 * @param help          one line saying what the field is for
 * @param defaultValue  the value taken when the field is left out, as JSON would hold it ({@code null} when none)
 * @param values        the allowed values of an {@code enum} field, else empty
 * @param configKey     the key under {@code conduit.systems.<name>.}, e.g. {@code token-endpoint}; for a map, the
 *                      prefix of its entries' keys
 * @param perEnvironment whether the customization file of an export carries it (values that differ per environment)
 * @param itemType      the type of each item of a {@code list} field ({@code STRING} or {@code INTEGER}), else {@code null}
 * @param min           the least whole number an {@code integer} or {@code duration} field (in seconds), or each item
 *                      of a list of integers, may take
 * @param max           the greatest such number
 * @param templateQuirk whether a provider template may set it, under {@code quirks}
 * @param binding       how the value is read from a system, set on a builder and written as text; empty for the
 *                      variables, which every representation spells out on its own (a value plus a secret flag)
 */
public record SystemField(String name, FieldGroup group, String label, FieldType type, boolean required,
        List<String> grantTypes, String help, Object defaultValue, List<String> values, String configKey,
        boolean perEnvironment, FieldType itemType, long min, long max, boolean templateQuirk,
        Optional<Binding<?>> binding) {

    public SystemField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        grantTypes = List.copyOf(grantTypes);
        Objects.requireNonNull(help, "help");
        values = List.copyOf(values);
        Objects.requireNonNull(configKey, "configKey");
        Objects.requireNonNull(binding, "binding");
        if ((type == FieldType.LIST) != (itemType != null)) {
            throw new IllegalArgumentException(name + ": a list, and only a list, has an item type");
        }
    }

    /** Whether the value is write-only: never shown, never exported, never logged. */
    public boolean secret() {
        return type == FieldType.SECRET;
    }

    /** Whether the field's value is a URL the endpoint policy must accept. */
    public boolean isUrl() {
        return type == FieldType.URL;
    }

    /** The field's value in {@code system}, or {@code null} when it has none; a secret comes as a {@code Secret}. */
    public Object get(ConnectedSystem system) {
        return binding.orElseThrow(() -> unbound()).get().apply(system);
    }

    /** Sets the field on a builder from its text form (configuration keys, customization files). */
    public void setText(ConnectedSystem.Builder builder, String text) {
        binding.orElseThrow(() -> unbound()).setText(builder, text);
    }

    /** Sets the field on a builder from its value as {@link #get} returns it. */
    public void set(ConnectedSystem.Builder builder, Object value) {
        binding.orElseThrow(() -> unbound()).setValue(builder, value);
    }

    /** The text form of the field's value in {@code system}, or {@code null} when it has none. */
    public String text(ConnectedSystem system) {
        return binding.orElseThrow(() -> unbound()).text(system);
    }

    private IllegalStateException unbound() {
        return new IllegalStateException(name + " has no single value; its representation spells it out");
    }

    /**
     * How one field maps to {@link ConnectedSystem} and to text.
     *
     * @param get    the value of a system, {@code null} when unset
     * @param set    puts a value on a builder
     * @param parse  reads the text form; throws {@code IllegalArgumentException} (or a {@code ConduitException}) when
     *               the text is not a value of the field
     * @param format writes the text form
     */
    public record Binding<T>(Function<ConnectedSystem, T> get, BiConsumer<ConnectedSystem.Builder, T> set,
            Function<String, T> parse, Function<T, String> format) {

        void setText(ConnectedSystem.Builder builder, String text) {
            set.accept(builder, parse.apply(text));
        }

        @SuppressWarnings("unchecked")
        void setValue(ConnectedSystem.Builder builder, Object value) {
            set.accept(builder, (T) value);
        }

        String text(ConnectedSystem system) {
            T value = get.apply(system);
            return value == null ? null : format.apply(value);
        }
    }
}
