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

    /** Both stores, with a 40-character opaque token and a 1,000-character JWT-sized one. */
    public static List<Measurement> measureAll(int users) {
        return List.of(
                measure("in-memory store + cache", InMemoryTokenStore::new, users, 40),
                measure("cache only (database store)", OffHeapTokenStore::new, users, 40),
                measure("in-memory store + cache", InMemoryTokenStore::new, users, 1000),
                measure("cache only (database store)", OffHeapTokenStore::new, users, 1000));
    }

    static Measurement measure(String storeName, Supplier<TokenStore> store, int users, int tokenLength) {
        try (LoopbackTokenServer server = LoopbackTokenServer.start(Duration.ZERO, Duration.ofHours(1))) {
            ConduitSide conduit = new ConduitSide(server.tokenUrl(), Clock.systemUTC(), store.get());
            String padding = "x".repeat(tokenLength);
            long before = usedHeapAfterGc();
            for (int i = 0; i < users; i++) {
                String value = ("t" + i + padding).substring(0, tokenLength);
                conduit.acceptUserToken(Subject.user("user-" + i), value);
            }
            long after = usedHeapAfterGc();
            Reference.reachabilityFence(conduit);
            long retained = after - before;
            return new Measurement(storeName, users, tokenLength, retained, Math.round(retained * 10.0 / users) / 10.0);
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
