package dev.conduit.api.system;

import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How tokens of a connected system are kept, renewed and given up on.
 *
 * @param retryPolicy           how hard a token is sought before the system is disabled
 * @param defaultTokenLifetime  the lifetime assumed when a token response carries no {@code expires_in}
 * @param refreshAhead          the most a token is refreshed ahead of its expiry; the lead is
 *                              {@code min(refreshAhead, lifetime / 2)}
 * @param tokenRejectedStatuses resource-server statuses that mean "token rejected": renew the token and retry once
 * @param renewalWindow         how often at most a rejected token is renewed, and how long a token whose renewal
 *                              failed is served before renewing again; empty: the server's setting
 */
public record Lifecycle(RetryPolicy retryPolicy, Duration defaultTokenLifetime, Duration refreshAhead,
        Set<Integer> tokenRejectedStatuses, Optional<Duration> renewalWindow) {

    public Lifecycle {
        tokenRejectedStatuses = tokenRejectedStatuses == null ? Set.of()
                : Collections.unmodifiableSet(new TreeSet<>(tokenRejectedStatuses));
        renewalWindow = Objects.requireNonNullElse(renewalWindow, Optional.empty());
    }
}
