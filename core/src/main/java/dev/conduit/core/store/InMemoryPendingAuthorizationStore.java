package dev.conduit.core.store;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.PendingAuthorizationStore;
import dev.conduit.api.token.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pending authorizations in this JVM's memory: one-time (each state is marked used exactly once) and bounded (each
 * save forgets what expired, and a user holds at most a fixed number of open links). The store of unit tests and of an
 * application that embeds the engine without a database; the server keeps them in its database
 * ({@code JdbcPendingAuthorizationStore}), which takes its default limits from here.
 *
 * <p>Used and expired entries are kept for a grace period after expiry, so that a replayed or late callback is told
 * "already used" or "expired" rather than "unknown".
 */
public final class InMemoryPendingAuthorizationStore implements PendingAuthorizationStore {

    /** Open links one user may hold; the oldest is forgotten beyond it, so one user cannot grow the store. */
    public static final int DEFAULT_MAX_PER_USER = 20;

    /** How long an expired entry is kept to answer its callback precisely. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    private final Map<String, Entry> byState = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxPerUser;
    private final Duration grace;

    public InMemoryPendingAuthorizationStore(Clock clock) {
        this(clock, DEFAULT_MAX_PER_USER, DEFAULT_GRACE);
    }

    public InMemoryPendingAuthorizationStore(Clock clock, int maxPerUser, Duration grace) {
        this.clock = Objects.requireNonNull(clock, "clock");
        PendingLimits limits = new PendingLimits(maxPerUser, grace);
        this.maxPerUser = limits.maxPerUser();
        this.grace = limits.grace();
    }

    /**
     * Keeps {@code pending} until it expires; forgets what expired before (less the grace) and the user's oldest links
     * beyond the per-user limit. A state is never replaced: a used state must stay used.
     */
    @Override
    public synchronized void save(PendingAuthorization pending) {
        Objects.requireNonNull(pending, "pending");
        purgeExpired(clock.instant().minus(grace));
        if (byState.putIfAbsent(pending.state().value(), new Entry(pending, new AtomicBoolean())) != null) {
            throw new ConduitException(ErrorCode.INTERNAL_ERROR, "an authorization state was issued twice");
        }
        forgetOldestBeyondLimit(pending.user());
    }

    @Override
    public Optional<PendingAuthorization> find(String state) {
        if (state == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byState.get(state)).map(Entry::pending);
    }

    @Override
    public boolean markUsed(String state) {
        Entry entry = state == null ? null : byState.get(state);
        return entry != null && entry.used().compareAndSet(false, true);
    }

    @Override
    public void purgeExpired(Instant now) {
        byState.values().removeIf(entry -> entry.pending().isExpiredAt(now));
    }

    /** How many entries are held (used ones included); for monitoring and tests. */
    public int size() {
        return byState.size();
    }

    private void forgetOldestBeyondLimit(Subject user) {
        List<Entry> ofUser = byState.values().stream()
                .filter(entry -> entry.pending().user().equals(user))
                .sorted(Comparator.comparing((Entry entry) -> entry.pending().expiresAt()))
                .toList();
        for (int i = 0; i < ofUser.size() - maxPerUser; i++) {
            byState.remove(ofUser.get(i).pending().state().value());
        }
    }

    private record Entry(PendingAuthorization pending, AtomicBoolean used) {
    }
}
