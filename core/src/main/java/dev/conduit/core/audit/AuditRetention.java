package dev.conduit.core.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records events and, at most once per {@code purgeInterval}, deletes those older than the retention period: the trail
 * stays bounded without a timer thread of its own, and a server that records nothing has nothing to purge.
 */
public final class AuditRetention implements AuditRecorder {

    /** How often, at most, old records are looked for. */
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofHours(1);

    private final AuditRecorder recorder;
    private final AuditTrail trail;
    private final Duration retention;
    private final Duration purgeInterval;
    private final Clock clock;
    private final AtomicReference<Instant> nextPurge;

    /**
     * @param retention how long a record is kept; positive
     */
    public AuditRetention(AuditRecorder recorder, AuditTrail trail, Duration retention, Duration purgeInterval,
            Clock clock) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.retention = positive("retention", retention);
        this.purgeInterval = positive("purgeInterval", purgeInterval);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nextPurge = new AtomicReference<>(Instant.MIN);
    }

    public Duration retention() {
        return retention;
    }

    @Override
    public void record(AuditEvent event) {
        recorder.record(event);
        Instant now = clock.instant();
        Instant due = nextPurge.get();
        // one caller wins the purge of an interval; the others go on without waiting for it
        if (!now.isBefore(due) && nextPurge.compareAndSet(due, now.plus(purgeInterval))) {
            purgeNow();
        }
    }

    /** Deletes the records past their retention now; returns how many. */
    public long purgeNow() {
        return trail.purgeBefore(clock.instant().minus(retention));
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
