package dev.conduit.core.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Records at most {@code limit} events per window and counts the rest, so that a flood of failed logins or refused
 * cross-site requests cannot fill the audit table or the log. The first event recorded after a suppression carries
 * {@code suppressed}: how many were dropped before it.
 */
public final class RateLimitedRecorder implements AuditRecorder {

    private final AuditRecorder recorder;
    private final int limit;
    private final Duration window;
    private final Clock clock;

    private Instant windowStart = Instant.MIN;
    private int inWindow;
    private long suppressed;

    public RateLimitedRecorder(AuditRecorder recorder, int limit, Duration window, Clock clock) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.window = Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records the event unless this window's limit is reached; returns whether it was recorded. */
    public boolean tryRecord(AuditEvent event) {
        AuditEvent admitted;
        synchronized (this) {
            Instant now = clock.instant();
            if (windowStart == Instant.MIN || !now.isBefore(windowStart.plus(window))) {
                windowStart = now;
                inWindow = 0;
            }
            if (inWindow >= limit) {
                suppressed++;
                return false;
            }
            inWindow++;
            admitted = suppressed == 0 ? event : event.withDetail("suppressed", Long.toString(suppressed));
            suppressed = 0;
        }
        recorder.record(admitted);
        return true;
    }

    @Override
    public void record(AuditEvent event) {
        tryRecord(event);
    }
}
