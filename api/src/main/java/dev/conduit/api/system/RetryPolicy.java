package dev.conduit.api.system;

import dev.conduit.api.ConduitException;
import java.time.Duration;
import java.util.Objects;

/**
 * How hard Conduit tries to obtain a token before it disables the system.
 *
 * @param maxAttempts token requests at most per acquisition, 1 to 10
 * @param maxWait     the whole budget for those attempts, backoff included, 1 second to 10 minutes
 */
public record RetryPolicy(int maxAttempts, Duration maxWait) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMinutes(1));

    public RetryPolicy {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw ConduitException.invalidField("retryPolicy.maxAttempts", "must be 1 to 10, was " + maxAttempts);
        }
        if (maxWait.compareTo(Duration.ofSeconds(1)) < 0 || maxWait.compareTo(Duration.ofMinutes(10)) > 0) {
            throw ConduitException.invalidField("retryPolicy.maxWait", "must be 1 second to 10 minutes, was " + maxWait);
        }
    }
}
