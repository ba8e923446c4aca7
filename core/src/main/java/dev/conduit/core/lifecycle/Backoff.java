package dev.conduit.core.lifecycle;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between token request attempts: {@code base * 2^(attempt-1)}, capped, then a
 * random 50-100% of that so that many nodes do not retry in step. A server's {@code Retry-After} is a floor.
 */
final class Backoff {

    static final Duration BASE = Duration.ofMillis(200);
    static final Duration CAP = Duration.ofSeconds(10);

    private Backoff() {
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones. */
    static Duration after(int attempt, Duration retryAfter) {
        long exponential = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt - 1, 16));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        Duration wait = Duration.ofMillis(jittered);
        return retryAfter != null && retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
    }
}
