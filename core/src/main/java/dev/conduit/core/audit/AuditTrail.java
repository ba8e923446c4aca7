package dev.conduit.core.audit;

import java.time.Instant;

/** Reads the recorded audit events for administrators, and forgets those past their retention. */
public interface AuditTrail {

    /** The page of matching records, newest first. */
    AuditPage find(AuditQuery query);

    /** Deletes every record older than {@code cutoff}; returns how many. */
    long purgeBefore(Instant cutoff);
}
