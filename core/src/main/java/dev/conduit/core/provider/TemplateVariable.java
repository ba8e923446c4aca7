package dev.conduit.core.provider;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A value a provider template asks the administrator for, such as a tenant, a realm or a base URL.
 *
 * @param name         the name that {@code ${name}} references in the template use
 * @param label        what a form shows next to the field
 * @param description  a sentence on where to find the value, or {@code null}
 * @param required     whether a value must be given (a default counts as given)
 * @param defaultValue the value used when none is given, or {@code null}
 * @param pattern      what a value must match, whole
 * @param secret       whether the value is a secret: never shown, never exported, never put into a URL
 * @param example      a value that matches the pattern, shown as a placeholder and used by the catalog's own tests
 */
public record TemplateVariable(String name, String label, String description, boolean required, String defaultValue,
        Pattern pattern, boolean secret, String example) {

    /** Letters, digits, '.', '_' and '~' and '-': a value that fits in a host label or a path segment unchanged. */
    public static final Pattern DEFAULT_PATTERN = Pattern.compile("[A-Za-z0-9._~-]{1,200}");

    public TemplateVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(example, "example");
    }

    public Optional<String> defaultValueIfAny() {
        return Optional.ofNullable(defaultValue);
    }

    /** True when {@code value} matches the pattern, whole. */
    public boolean accepts(String value) {
        return value != null && pattern.matcher(value).matches();
    }
}
