package dev.conduit.core.store;

import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditPage;
import dev.conduit.core.audit.AuditQuery;
import dev.conduit.core.audit.AuditRecorder;
import dev.conduit.core.audit.AuditTrail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Audit records in this JVM's memory, lost at exit: the audit trail of unit tests and of an application that embeds the
 * engine without a database. The server records to its database ({@code JdbcAuditTrail}).
 */
public final class InMemoryAuditTrail implements AuditRecorder, AuditTrail {

    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(AuditEvent event) {
        events.add(Objects.requireNonNull(event, "event"));
    }

    @Override
    public synchronized AuditPage find(AuditQuery query) {
        // newest first; of two records at the same instant, the later recorded first (the sort is stable)
        List<AuditEvent> matching = new ArrayList<>(events.stream().filter(query::matches).toList());
        Collections.reverse(matching);
        matching.sort(Comparator.comparing(AuditEvent::at).reversed());
        int from = (int) Math.min(matching.size(), query.offset());
        int to = Math.min(matching.size(), from + query.size());
        return new AuditPage(matching.subList(from, to), query.page(), query.size(), matching.size());
    }

    @Override
    public synchronized long purgeBefore(Instant cutoff) {
        int before = events.size();
        events.removeIf(event -> event.at().isBefore(cutoff));
        return before - events.size();
    }

    /** Every record, oldest first. */
    public synchronized List<AuditEvent> all() {
        return List.copyOf(events);
    }
}
