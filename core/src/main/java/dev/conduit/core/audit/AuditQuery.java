package dev.conduit.core.audit;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.time.Instant;
import java.util.Optional;

/**
 * Which audit records to read: every filter is optional and they combine with "and"; records come newest first,
 * {@code size} to a page, pages counted from 0.
 *
 * @param system only records about this connected system
 * @param actor  only records of this login
 * @param action only records of this action
 * @param from   only records at or after this instant
 * @param to     only records before this instant
 * @param page   the page, from 0
 * @param size   records per page, 1 to {@value #MAX_SIZE}
 */
public record AuditQuery(Optional<String> system, Optional<String> actor, Optional<AuditAction> action,
        Optional<Instant> from, Optional<Instant> to, int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public AuditQuery {
        system = system == null ? Optional.empty() : system.filter(s -> !s.isBlank());
        actor = actor == null ? Optional.empty() : actor.filter(s -> !s.isBlank());
        action = action == null ? Optional.empty() : action;
        from = from == null ? Optional.empty() : from;
        to = to == null ? Optional.empty() : to;
        if (page < 0) {
            throw invalid("page", "must be 0 or more, was " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw invalid("size", "must be 1 to " + MAX_SIZE + ", was " + size);
        }
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw invalid("from", "must be before to");
        }
    }

    /** Every record, the first page of the default size. */
    public static AuditQuery all() {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                0, DEFAULT_SIZE);
    }

    /** Whether an event passes the filters (paging aside). */
    public boolean matches(AuditEvent event) {
        return system.map(s -> s.equals(event.system())).orElse(true)
                && actor.map(a -> a.equals(event.actor())).orElse(true)
                && action.map(a -> a == event.action()).orElse(true)
                && from.map(f -> !event.at().isBefore(f)).orElse(true)
                && to.map(t -> event.at().isBefore(t)).orElse(true);
    }

    /** The index of the page's first record. */
    public long offset() {
        return (long) page * size;
    }

    /** A query parameter out of range: {@code INVALID_REQUEST} naming it. */
    private static ConduitException invalid(String field, String message) {
        return ConduitException.builder(ErrorCode.INVALID_REQUEST, field + ": " + message).field(field).build();
    }
}
