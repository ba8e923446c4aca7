package dev.conduit.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Figure 2: a thousand callers find the token just expired while the token endpoint takes 20 ms to answer. Each burst
 * seeds a token that expired a millisecond ago (on the real clock, which both sides read), releases every caller at
 * once from a gate, and records how many token requests reached the endpoint and how long each caller waited, from its
 * own call to its return. Conduit and Spring take turns, burst by burst, so that both see the same machine noise.
 */
public final class ExpiryBurst {

    /** What one burst cost one side. */
    public record Burst(String side, int tokenRequests, int failures, double p50Millis, double p99Millis,
            double maxMillis) {
    }

    /** One side's bursts, and the median and range of each figure over them. */
    public record Summary(String side, int callers, long endpointDelayMillis, List<Burst> bursts, Stat tokenRequests,
            Stat p50Millis, Stat p99Millis, int failures) {
    }

    /** The median and range of one figure over several bursts. */
    public record Stat(double median, double min, double max) {
        static Stat of(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Stat(median, sorted[0], sorted[n - 1]);
        }
    }

    /** Both sides' summaries. */
    public record Result(Summary conduit, Summary spring) {
    }

    private interface Caller {
        Object call();
    }

    private final int callers;
    private final Duration endpointDelay;
    private final int bursts;
    private final int warmupBursts;

    public ExpiryBurst(int callers, Duration endpointDelay, int bursts, int warmupBursts) {
        this.callers = callers;
        this.endpointDelay = endpointDelay;
        this.bursts = bursts;
        this.warmupBursts = warmupBursts;
    }

    public static void main(String[] args) {
        int bursts = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Result result = new ExpiryBurst(1000, Duration.ofMillis(20), bursts, 3).run();
        System.out.println(describe(result));
    }

    public Result run() {
        ExecutorService pool = Executors.newFixedThreadPool(callers, daemonThreads());
        try (LoopbackTokenServer server = LoopbackTokenServer.start(Duration.ZERO, Duration.ofHours(1))) {
            ConduitSide conduit = new ConduitSide(server.tokenUrl(), Clock.systemUTC());
            SpringSide spring = new SpringSide(server.tokenUrl());
            // connections, class loading and the JIT, before anything counts
            conduit.applicationToken();
            spring.applicationToken();
            server.setDelay(endpointDelay);
            List<Burst> conduitBursts = new ArrayList<>();
            List<Burst> springBursts = new ArrayList<>();
            for (int i = 0; i < warmupBursts + bursts; i++) {
                Burst c = burst(pool, server, "conduit", conduit::seedJustExpired, conduit::applicationToken);
                Burst s = burst(pool, server, "spring", spring::seedJustExpired, spring::applicationToken);
                if (i >= warmupBursts) {
                    conduitBursts.add(c);
                    springBursts.add(s);
                }
            }
            return new Result(summarize("conduit", conduitBursts), summarize("spring", springBursts));
        } finally {
            pool.shutdownNow();
        }
    }

    private Burst burst(ExecutorService pool, LoopbackTokenServer server, String side, Runnable seed, Caller caller) {
        seed.run();
        settle();
        server.resetCounts();
        long[] waits = new long[callers];
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(callers);
        for (int i = 0; i < callers; i++) {
            int index = i;
            pool.execute(() -> {
                try {
                    ready.countDown();
                    gate.await();
                    long start = System.nanoTime();
                    try {
                        caller.call();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                    waits[index] = System.nanoTime() - start;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        await(ready);
        gate.countDown();
        await(done);
        if (server.refused() > 0) {
            throw new IllegalStateException(side + ": the token endpoint refused " + server.refused() + " requests");
        }
        Arrays.sort(waits);
        return new Burst(side, server.requests(), failures.get(), millis(percentile(waits, 0.50)),
                millis(percentile(waits, 0.99)), millis(waits[waits.length - 1]));
    }

    private Summary summarize(String side, List<Burst> runs) {
        return new Summary(side, callers, endpointDelay.toMillis(), List.copyOf(runs),
                Stat.of(runs.stream().mapToDouble(Burst::tokenRequests).toArray()),
                Stat.of(runs.stream().mapToDouble(Burst::p50Millis).toArray()),
                Stat.of(runs.stream().mapToDouble(Burst::p99Millis).toArray()),
                runs.stream().mapToInt(Burst::failures).sum());
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    /** Lets the previous burst's connections and threads go quiet before the next gate opens. */
    private static void settle() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a burst did not finish within 2 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a burst", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "burst-caller");
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A table of both sides' figures. */
    public static String describe(Result result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-8s %8s %28s %28s %28s %9s%n", "side", "callers", "token requests med [min-max]",
                "p50 wait ms med [min-max]", "p99 wait ms med [min-max]", "failures"));
        for (Summary s : List.of(result.conduit(), result.spring())) {
            out.append(String.format("%-8s %8d %28s %28s %28s %9d%n", s.side(), s.callers(), range(s.tokenRequests()),
                    range(s.p50Millis()), range(s.p99Millis()), s.failures()));
        }
        return out.toString();
    }

    private static String range(Stat stat) {
        return String.format("%.1f [%.1f-%.1f]", stat.median(), stat.min(), stat.max());
    }
}
