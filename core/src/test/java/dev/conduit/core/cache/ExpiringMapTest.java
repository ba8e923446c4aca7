package dev.conduit.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ExpiringMap} on a clock moved by hand: expiry is asserted at the millisecond, never waited for. */
class ExpiringMapTest {

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final ExpiringMap<String, String> map = new ExpiringMap<>(clock, Duration.ofSeconds(10), 3);
    private ExecutorService threads;

    @AfterEach
    void stopThreads() {
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    @Test
    void getWhenPutLessThanTimeToLiveAgoThenFoundAndAtTimeToLiveThenGoneAndRemoved() {
        assertThat(map.put("orders", "v1")).isTrue();

        clock.advance(Duration.ofMillis(9_999));
        assertThat(map.get("orders")).contains("v1");

        clock.advance(Duration.ofMillis(1));
        assertThat(map.get("orders")).isEmpty();
        assertThat(map.size()).isZero();
    }

    @Test
    void putWhenKeyAlreadyPresentThenReplacedWithAFreshLifetime() {
        map.put("orders", "v1");
        clock.advance(Duration.ofSeconds(6));

        map.put("orders", "v2");
        clock.advance(Duration.ofSeconds(6));

        assertThat(map.get("orders")).contains("v2");
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void getWhenRemovedOrClearedThenGone() {
        map.put("orders", "v1");
        map.put("billing", "v2");
        map.put("crm", "v3");

        map.remove("orders");
        assertThat(map.get("orders")).isEmpty();
        assertThat(map.get("billing")).contains("v2");

        map.clear();
        assertThat(map.get("billing")).isEmpty();
        assertThat(map.size()).isZero();
        // the slots came back: three new keys fit again
        assertThat(List.of(map.put("a", "1"), map.put("b", "2"), map.put("c", "3"))).containsOnly(true);
    }

    @Test
    void putWhenTimeToLiveZeroThenNothingRemembered() {
        ExpiringMap<String, String> off = new ExpiringMap<>(clock, Duration.ZERO, 3);

        assertThat(off.put("orders", "v1")).isFalse();

        assertThat(off.get("orders")).isEmpty();
        assertThat(off.size()).isZero();
    }

    @Test
    void putWhenFullOfUnexpiredValuesThenNewKeyNotRememberedAndKnownOnesKept() {
        map.put("a", "1");
        map.put("b", "2");
        map.put("c", "3");

        assertThat(map.put("d", "4")).isFalse();

        assertThat(map.get("d")).isEmpty();
        assertThat(map.get("a")).contains("1");
        assertThat(map.size()).isEqualTo(3);
        assertThat(map.put("a", "1 again")).as("a known key may always be replaced").isTrue();
        assertThat(map.get("a")).contains("1 again");
    }

    @Test
    void putWhenFullAndSomeExpiredThenExpiredOnesDroppedAndNewKeyRemembered() {
        map.put("a", "1");
        clock.advance(Duration.ofSeconds(1));
        map.put("b", "2");
        map.put("c", "3");

        clock.advance(Duration.ofSeconds(8));
        assertThat(map.put("d", "4")).as("nothing expired yet").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(map.put("d", "4")).as("a expired").isTrue();
        assertThat(map.put("e", "5")).as("b and c expire one second after a").isFalse();
        clock.advance(Duration.ofMillis(999));
        assertThat(map.put("e", "5")).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(map.put("e", "5")).isTrue();

        assertThat(map.size()).isEqualTo(2);
        assertThat(map.get("d")).contains("4");
        assertThat(map.get("e")).contains("5");
    }

    @Test
    void constructorWhenBoundBelowOneThenRefused() {
        assertThatThrownBy(() -> new ExpiringMap<>(clock, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEntries");
    }

    @Test
    void putWhenManyThreadsPutDistinctKeysAtOnceThenExactlyTheBoundIsRemembered() throws Exception {
        ExpiringMap<Integer, Integer> bounded = new ExpiringMap<>(clock, Duration.ofSeconds(10), 100);
        int threadCount = 8;
        int keysEach = 1_000;
        List<Integer> kept = runAtOnce(threadCount, t -> {
            int count = 0;
            for (int i = 0; i < keysEach; i++) {
                int key = t * keysEach + i;
                if (bounded.put(key, key)) {
                    count++;
                }
                assertThat(bounded.size()).isLessThanOrEqualTo(100);
            }
            return count;
        });

        assertThat(kept.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(bounded.size()).isEqualTo(100);
        for (int key = 0; key < threadCount * keysEach; key++) {
            int k = key;
            bounded.get(key).ifPresent(value -> assertThat(value).isEqualTo(k));
        }
    }

    @Test
    void putGetRemoveWhenManyThreadsShareKeysThenValuesStayTheirOwnAndNoSlotIsLost() throws Exception {
        ExpiringMap<Integer, String> shared = new ExpiringMap<>(clock, Duration.ofSeconds(10), 50);
        int threadCount = 8;
        runAtOnce(threadCount, t -> {
            for (int round = 0; round < 2_000; round++) {
                int key = round % 64;
                shared.put(key, "value of " + key);
                shared.get(key).ifPresent(value -> assertThat(value).isEqualTo("value of " + key));
                if (round % 3 == t % 3) {
                    shared.remove(key);
                }
                if (round % 500 == 499) {
                    shared.clear();
                }
            }
            return 0;
        });

        shared.clear();
        assertThat(shared.size()).isZero();
        for (int key = 0; key < 50; key++) {
            assertThat(shared.put(key, "again")).as("slot %s free after the threads", key).isTrue();
        }
        assertThat(shared.put(50, "one too many")).isFalse();
    }

    private interface Work {
        int run(int thread) throws Exception;
    }

    /** Runs {@code work} on that many threads released together; rethrows the first failure. */
    private List<Integer> runAtOnce(int threadCount, Work work) throws Exception {
        threads = Executors.newFixedThreadPool(threadCount);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            Callable<Integer> task = () -> {
                start.await();
                return work.run(thread);
            };
            futures.add(threads.submit(task));
        }
        start.countDown();
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> future : futures) {
            results.add(future.get());
        }
        return results;
    }
}
