package dev.conduit.core.audit;

/** Records one audit event durably; the event never holds a secret or a token. */
@FunctionalInterface
public interface AuditRecorder {

    void record(AuditEvent event);
}
