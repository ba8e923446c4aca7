package dev.conduit.core.integration;

import java.time.Duration;
import java.util.Objects;

/**
 * What one integration call may cost: a total deadline, covering the connection, the headers, the whole body and the one
 * retry after a token rejection, and the largest answer relayed. Both bound how long a server thread waits on a
 * resource server and how much memory one answer takes, whatever the remote server does.
 *
 * @param deadline         the time the whole call may take
 * @param maxResponseBytes the largest answer body relayed; a larger one is cut there and refused
 */
public record CallLimits(Duration deadline, int maxResponseBytes) {

    /** 30 seconds and 16 MiB. */
    public static final CallLimits DEFAULT = new CallLimits(Duration.ofSeconds(30), 16 * 1024 * 1024);

    public CallLimits {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline);
        }
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive, was " + maxResponseBytes);
        }
    }
}
