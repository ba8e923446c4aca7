package dev.conduit.core.audit;

/** Whether the audited operation did what was asked. A failure's {@code ErrorCode} is in the record's details. */
public enum AuditOutcome {
    SUCCESS,
    FAILURE
}
