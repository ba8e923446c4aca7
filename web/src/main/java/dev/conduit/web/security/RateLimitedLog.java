package dev.conduit.web.security;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A warning that is written at most once per interval, with the number of occurrences left out since the last one, so
 * that a flood of refused requests cannot fill the log.
 */
public final class RateLimitedLog {

    private final Logger logger;
    private final Duration interval;
    private final Clock clock;
    private final AtomicLong nextAllowedMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger logger, Duration interval, Clock clock) {
        this.logger = logger;
        this.interval = interval;
        this.clock = clock;
    }

    /** Logs {@code message} unless one was logged within the interval; returns whether it was. */
    public boolean warn(String message) {
        long now = clock.millis();
        long next = nextAllowedMillis.get();
        if (now < next || !nextAllowedMillis.compareAndSet(next, now + interval.toMillis())) {
            suppressed.incrementAndGet();
            return false;
        }
        long left = suppressed.getAndSet(0);
        logger.log(Level.WARNING, left == 0 ? message
                : message + " (" + left + " more like it in the previous " + interval.toSeconds() + " s not logged)");
        return true;
    }
}
