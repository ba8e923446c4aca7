package dev.conduit.core.store;

import java.time.Duration;
import java.util.Objects;

/**
 * What bounds a pending-authorization store, in memory or in a database alike.
 *
 * @param maxPerUser the open links one user may hold, at least 1; saving another forgets the user's oldest
 * @param grace      how long an expired link is kept, so that its late callback is told "expired", not "unknown"
 */
public record PendingLimits(int maxPerUser, Duration grace) {

    public PendingLimits {
        if (maxPerUser < 1) {
            throw new IllegalArgumentException("maxPerUser must be at least 1, was " + maxPerUser);
        }
        Objects.requireNonNull(grace, "grace");
    }
}
