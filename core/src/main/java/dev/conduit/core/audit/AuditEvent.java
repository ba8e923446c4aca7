package dev.conduit.core.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One audit record: who did what to which system, when, and how it ended.
 *
 * <p>The details hold names and codes only (the fields that changed, an {@code ErrorCode}, a count), never a value an
 * administrator typed: so no secret, token or key can reach the audit trail through them. Values are cut to
 * {@value #MAX_DETAIL_LENGTH} characters, so that a caller cannot grow the table without bound.
 *
 * @param at      when it happened
 * @param actor   the login that did it (for a failed login: the user name that was tried)
 * @param action  what was done
 * @param system  the connected system concerned, or {@code null} (import, key rotation, login)
 * @param outcome whether it succeeded
 * @param details names and codes that say more, in insertion order
 */
public record AuditEvent(Instant at, String actor, AuditAction action, String system, AuditOutcome outcome,
        Map<String, String> details) {

    /** The longest actor, system or detail value kept. */
    public static final int MAX_DETAIL_LENGTH = 500;

    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        actor = actor == null || actor.isBlank() ? "(anonymous)" : shorten(actor);
        system = system == null || system.isBlank() ? null : shorten(system);
        Map<String, String> copy = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((key, value) -> {
                if (key != null && value != null) {
                    copy.put(shorten(key), shorten(value));
                }
            });
        }
        details = Collections.unmodifiableMap(copy);
    }

    /** A successful operation with no details. */
    public static AuditEvent success(Instant at, String actor, AuditAction action, String system) {
        return new AuditEvent(at, actor, action, system, AuditOutcome.SUCCESS, Map.of());
    }

    /** The same event with one more detail. */
    public AuditEvent withDetail(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new AuditEvent(at, actor, action, system, outcome, more);
    }

    private static String shorten(String value) {
        // control characters would let a crafted user name forge lines in a log that prints the record
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= MAX_DETAIL_LENGTH ? clean : clean.substring(0, MAX_DETAIL_LENGTH - 1) + "\u2026";
    }
}
