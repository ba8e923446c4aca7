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

    /**
     * What one burst cost one side: token requests, and callers' waits in milliseconds, measured two ways. From the
     * caller's own call to its return is the time spent inside the token library; from the gate's opening to the
     * return adds the time the caller waited to be scheduled, which the other callers' work (Spring's extra token
     * requests and their responses) lengthens.
     */
    public record Burst(String side, int tokenRequests, int failures, double p50Millis, double p99Millis,
            double maxMillis, double p50FromGateMillis, double p99FromGateMillis, double lastDoneMillis) {
    }

    /** One side's bursts, and the median and range of each figure over them. */
    public record Summary(String side, int callers, long endpointDelayMillis, List<Burst> bursts, Stat tokenRequests,
            Stat p50Millis, Stat p99Millis, Stat p50FromGateMillis, Stat p99FromGateMillis, Stat lastDoneMillis,
            int failures) {
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
        long[] ends = new long[callers];
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
                    ends[index] = System.nanoTime();
                    waits[index] = ends[index] - start;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        await(ready);
        long opened = System.nanoTime();
        gate.countDown();
        await(done);
        if (server.refused() > 0) {
            throw new IllegalStateException(side + ": the token endpoint refused " + server.refused() + " requests");
        }
        Arrays.sort(waits);
        long[] fromGate = Arrays.stream(ends).map(end -> end - opened).sorted().toArray();
        return new Burst(side, server.requests(), failures.get(), millis(percentile(waits, 0.50)),
                millis(percentile(waits, 0.99)), millis(waits[waits.length - 1]), millis(percentile(fromGate, 0.50)),
                millis(percentile(fromGate, 0.99)), millis(fromGate[fromGate.length - 1]));
    }

    private Summary summarize(String side, List<Burst> runs) {
        return new Summary(side, callers, endpointDelay.toMillis(), List.copyOf(runs),
                Stat.of(runs.stream().mapToDouble(Burst::tokenRequests).toArray()),
                Stat.of(runs.stream().mapToDouble(Burst::p50Millis).toArray()),
                Stat.of(runs.stream().mapToDouble(Burst::p99Millis).toArray()),
                Stat.of(runs.stream().mapToDouble(Burst::p50FromGateMillis).toArray()),
                Stat.of(runs.stream().mapToDouble(Burst::p99FromGateMillis).toArray()),
                Stat.of(runs.stream().mapToDouble(Burst::lastDoneMillis).toArray()),
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
        out.append("median [min-max] over ").append(result.conduit().bursts().size()).append(" bursts of ")
                .append(result.conduit().callers()).append(" callers; endpoint delay ")
                .append(result.conduit().endpointDelayMillis()).append(" ms; waits in ms\n");
        String format = "%-8s %-24s %-22s %-22s %-22s %-22s %-22s %s%n";
        out.append(String.format(format, "side", "token requests", "p50 (own call)", "p99 (own call)",
                "p50 (from gate)", "p99 (from gate)", "last done (from gate)", "failures"));
        for (Summary s : List.of(result.conduit(), result.spring())) {
            out.append(String.format(format, s.side(), range(s.tokenRequests()), range(s.p50Millis()),
                    range(s.p99Millis()), range(s.p50FromGateMillis()), range(s.p99FromGateMillis()),
                    range(s.lastDoneMillis()), s.failures()));
        }
        return out.toString();
    }

    private static String range(Stat stat) {
        return String.format("%.1f [%.1f-%.1f]", stat.median(), stat.min(), stat.max());
    }
}
