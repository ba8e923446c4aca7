package dev.conduit.core.lifecycle;

import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The tokens {@link TokenService} holds in memory, by system name and then by subject; reads take no lock and
 * allocate nothing.
 *
 * <p>Why two levels rather than one map by {@link TokenKey}: a lookup by {@code TokenKey} needs a key object per call,
 * and the JIT does not remove it (the record's {@code equals} and {@code hashCode} run through method handles that
 * defeat escape analysis), which cost 24 bytes and about a third of the time of every cache hit. Here the application's
 * token of a system sits in its own slot, one map lookup away, and a user's token two lookups away, by user id.
 *
 * <p>Bounded by use: {@link #evictExpired} forgets values whose token has expired. Such an entry is idle by definition,
 * since any call after its refresh time would have replaced it; an idle user therefore costs memory at most until their
 * token's expiry. A system left with no value at all is dropped with its maps, whose tables never shrink.
 *
 * @param <V> what is held per token
 */
final class TokenCache<V> {

    /** How often the slow path sweeps expired values out: rarely enough that the sweep's cost spreads thin. */
    static final long SWEEP_INTERVAL_MILLIS = 60_000;

    private final ConcurrentHashMap<String, SystemTokens<V>> bySystem = new ConcurrentHashMap<>();
    private final ToLongFunction<V> expiresAtMillis;
    private final AtomicLong nextSweepMillis = new AtomicLong(Long.MIN_VALUE);

    /** A cache whose values never expire: {@link #evictExpired} keeps everything. */
    TokenCache() {
        this(value -> Long.MAX_VALUE);
    }

    /** @param expiresAtMillis when a value's token expires (epoch millis); after it, the value is evicted */
    TokenCache(ToLongFunction<V> expiresAtMillis) {
        this.expiresAtMillis = expiresAtMillis;
    }

    /** One system's tokens: the application's, and each user's by user id. */
    private static final class SystemTokens<V> {
        private static final VarHandle APPLICATION;

        static {
            try {
                APPLICATION = MethodHandles.lookup().findVarHandle(SystemTokens.class, "application", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile V application;
        private final ConcurrentHashMap<String, V> users = new ConcurrentHashMap<>();

        V get(Subject subject) {
            return subject.isApplication() ? application : users.get(subject.userId());
        }

        void put(Subject subject, V value) {
            if (subject.isApplication()) {
                application = value;
            } else {
                users.put(subject.userId(), value);
            }
        }

        boolean isEmpty() {
            return application == null && users.isEmpty();
        }

        void removeExpired(ToLongFunction<V> expiresAtMillis, long nowMillis) {
            removeIf(Subject.application(), value -> expiresAtMillis.applyAsLong(value) <= nowMillis);
            users.values().removeIf(value -> expiresAtMillis.applyAsLong(value) <= nowMillis);
        }

        void removeIf(Subject subject, Predicate<V> condition) {
            if (subject.isApplication()) {
                V current = application;
                if (current != null && condition.test(current)) {
                    // only if nobody replaced it meanwhile: a newer token must survive
                    APPLICATION.compareAndSet(this, current, null);
                }
            } else {
                users.computeIfPresent(subject.userId(), (id, current) -> condition.test(current) ? null : current);
            }
        }
    }

    /** The value held for {@code subject} of {@code systemName}, or {@code null}. */
    V get(String systemName, Subject subject) {
        if (systemName == null || subject == null) {
            return null;
        }
        SystemTokens<V> tokens = bySystem.get(systemName);
        return tokens == null ? null : tokens.get(subject);
    }

    void put(TokenKey key, V value) {
        // inside compute: a sweep that drops an empty system cannot drop it between lookup and put
        bySystem.compute(key.systemName(), (name, tokens) -> {
            SystemTokens<V> kept = tokens == null ? new SystemTokens<>() : tokens;
            kept.put(key.subject(), value);
            return kept;
        });
    }

    /**
     * Forgets every value whose token expired at or before {@code nowMillis}, and systems left empty; does nothing if the
     * last sweep was less than {@link #SWEEP_INTERVAL_MILLIS} ago, so callers may call it on every miss.
     *
     * @return whether it swept
     */
    boolean evictExpired(long nowMillis) {
        long due = nextSweepMillis.get();
        if (nowMillis < due || !nextSweepMillis.compareAndSet(due, nowMillis + SWEEP_INTERVAL_MILLIS)) {
            return false;
        }
        for (String systemName : bySystem.keySet()) {
            bySystem.computeIfPresent(systemName, (name, tokens) -> {
                tokens.removeExpired(expiresAtMillis, nowMillis);
                return tokens.isEmpty() ? null : tokens;
            });
        }
        return true;
    }

    /** How many values are held; for tests and measurements. */
    int size() {
        int size = 0;
        for (SystemTokens<V> tokens : bySystem.values()) {
            size += tokens.users.size() + (tokens.application == null ? 0 : 1);
        }
        return size;
    }

    /** Forgets the value of {@code key} if {@code condition} holds for it, atomically. */
    void removeIf(TokenKey key, Predicate<V> condition) {
        SystemTokens<V> tokens = bySystem.get(key.systemName());
        if (tokens != null) {
            tokens.removeIf(key.subject(), condition);
        }
    }

    void remove(TokenKey key) {
        removeIf(key, value -> true);
    }

    /** Forgets every token of a system. */
    void removeSystem(String systemName) {
        bySystem.remove(systemName);
    }

    /** Forgets every token. */
    void clear() {
        bySystem.clear();
    }
}
