package dev.conduit.core.provider;

import java.util.Objects;

/**
 * Why one template could not be loaded: the file (or other source) and the field at fault, so the person who wrote it
 * can correct it. The other templates load regardless.
 *
 * @param source  the file, e.g. {@code /etc/conduit/templates/acme.json}
 * @param field   the member at fault as a path, e.g. {@code variables[1].pattern}; {@code (document)} for the whole
 * @param message what is wrong and what it should be
 */
public record TemplateProblem(String source, String field, String message) {

    public TemplateProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return source + ": " + field + ": " + message;
    }
}
