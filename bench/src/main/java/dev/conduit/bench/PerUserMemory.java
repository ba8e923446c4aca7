package dev.conduit.bench;

import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import dev.conduit.core.store.InMemoryTokenStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Figure 3, memory: the heap retained per cached per-user token, as the difference in heap used after a full
 * collection before and after holding {@code users} tokens, divided by {@code users}. Measured with the in-memory store
 * (the cache and the store both on the heap) and with a store whose rows live outside the heap, as a database's do
 * (the cache alone).
 */
public final class PerUserMemory {

    /** Bytes per token for one store and one token length. */
    public record Measurement(String store, int users, int tokenLength, long retainedBytes, double bytesPerToken) {
    }

    /**
     * Keeps nothing on the heap: stands in for a database-backed store, whose rows are not the JVM's to hold, so that
     * the measurement counts the cache alone.
     */
    static final class OffHeapTokenStore implements TokenStore {
        @Override
        public Optional<TokenSet> load(TokenKey key) {
            return Optional.empty();
        }

        @Override
        public void save(TokenKey key, TokenSet tokens) {
        }

        @Override
        public void remove(TokenKey key) {
        }

        @Override
        public void removeAll(String systemName) {
        }

        @Override
        public Optional<TokenSet> update(TokenKey key, UnaryOperator<Optional<TokenSet>> change) {
            return change.apply(Optional.empty());
        }
    }

    private PerUserMemory() {
    }

    public static void main(String[] args) {
        measureAll(100_000).forEach(System.out::println);
    }

    /**
     * Both stores, with a 40-character opaque token and a 1,000-character JWT-sized one; and the cache once every
     * user has gone idle: their tokens expired and the cache evicted them.
     */
    public static List<Measurement> measureAll(int users) {
        return List.of(
                measure("in-memory store + cache", InMemoryTokenStore::new, users, 40, false),
                measure("cache only (database store)", OffHeapTokenStore::new, users, 40, false),
                measure("in-memory store + cache", InMemoryTokenStore::new, users, 1000, false),
                measure("cache only (database store)", OffHeapTokenStore::new, users, 1000, false),
                measure("cache only, after eviction (users idle, tokens expired)", OffHeapTokenStore::new, users,
                        1000, true));
    }

    /**
     * @param afterEviction measure once every token has expired and the cache swept: the clock moves past their expiry,
     *                      and one token request (the application's) gives the cache its chance to sweep
     */
    static Measurement measure(String storeName, Supplier<TokenStore> store, int users, int tokenLength,
            boolean afterEviction) {
        try (LoopbackTokenServer server = LoopbackTokenServer.start(Duration.ZERO, Duration.ofHours(1))) {
            MovableClock clock = new MovableClock();
            ConduitSide conduit = new ConduitSide(server.tokenUrl(), clock, store.get());
            String padding = "x".repeat(tokenLength);
            long before = usedHeapAfterGc();
            for (int i = 0; i < users; i++) {
                String value = ("t" + i + padding).substring(0, tokenLength);
                conduit.acceptUserToken(Subject.user("user-" + i), value);
            }
            if (afterEviction) {
                clock.advance(Duration.ofHours(2));
                conduit.applicationToken();
            }
            long after = usedHeapAfterGc();
            Reference.reachabilityFence(conduit);
            long retained = after - before;
            return new Measurement(storeName, users, tokenLength, retained, Math.round(retained * 10.0 / users) / 10.0);
        }
    }

    /** The system clock, moved forward on demand: to let the users' tokens expire without waiting an hour. */
    static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration by) {
            offset = offset.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
