package dev.conduit.core.invalidation;

import dev.conduit.api.token.Subject;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node must forget from memory because it changed in the shared store: one subject's tokens of a system, a
 * whole system (its configuration, status and tokens), or everything (notifications may have been missed).
 *
 * @param systemName the system, or {@code null} for everything
 * @param subject    the one subject whose tokens changed, or {@code null} for the whole system
 */
public record Invalidation(String systemName, Subject subject) {

    private static final Invalidation EVERYTHING = new Invalidation(null, null);

    public Invalidation {
        if (systemName == null && subject != null) {
            throw new IllegalArgumentException("a subject's invalidation names its system");
        }
    }

    /** The system's configuration, status and every token of it. */
    public static Invalidation ofSystem(String systemName) {
        return new Invalidation(Objects.requireNonNull(systemName, "systemName"), null);
    }

    /** One subject's tokens of a system (a user disconnected). */
    public static Invalidation ofSubject(String systemName, Subject subject) {
        return new Invalidation(Objects.requireNonNull(systemName, "systemName"),
                Objects.requireNonNull(subject, "subject"));
    }

    /** Everything held in memory: for a node that may have missed notifications (its listening connection broke). */
    public static Invalidation everything() {
        return EVERYTHING;
    }

    public boolean isEverything() {
        return systemName == null;
    }

    /** The system, empty when everything is invalidated. */
    public Optional<String> system() {
        return Optional.ofNullable(systemName);
    }

    /** The subject, empty when a whole system (or everything) is invalidated. */
    public Optional<Subject> onlySubject() {
        return Optional.ofNullable(subject);
    }

    @Override
    public String toString() {
        return isEverything() ? "everything" : subject == null ? "system '" + systemName + "'"
                : "system '" + systemName + "' for " + subject;
    }
}
