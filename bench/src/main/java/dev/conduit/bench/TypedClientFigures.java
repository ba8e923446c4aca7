package dev.conduit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Figure 7: {@link TypedClientBenchmark} in rounds, both sides in each round one after the other, at 1 and 2 threads,
 * so that each ratio compares two runs a few seconds apart (the machine's load changes over minutes). Writes JMH's
 * JSON per round and {@code typed-client.txt} with every round, the medians, their ranges and the ratios.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.conduit.bench.TypedClientFigures [output directory]
 * [rounds]}.
 */
public final class TypedClientFigures {

    private TypedClientFigures() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/bench-results");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Files.createDirectories(out);
        StringBuilder report = new StringBuilder("# Figure 7: typed Rest Client, ConduitAuthentication against a static "
                + "bearer filter, 1 KiB answers\n\n").append(Suite.Machine.describe())
                .append("Started ").append(Instant.now()).append(", load ").append(Suite.Machine.loadAverage())
                .append("\n\n| threads | round | load before | Conduit ops/s median [min-max] | static ops/s median "
                        + "[min-max] | Conduit/static | Conduit B/op | static B/op |\n|---|---|---|---|---|---|---|---|\n");
        StringBuilder summary = new StringBuilder("\n| threads | Conduit/static, median of rounds [min-max] |\n|---|---|\n");
        for (int threads : new int[] {1, 2}) {
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                String load = Suite.Machine.loadAverage();
                Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include("\\." + TypedClientBenchmark.class.getSimpleName() + "\\.")
                        .threads(threads).forks(1)
                        .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                        .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                        .addProfiler(GCProfiler.class)
                        .result(out.resolve("typed-client-" + threads + "t-" + round + ".json").toString())
                        .resultFormat(ResultFormatType.JSON).build()).run();
                RunResult conduit = find(results, "conduit");
                RunResult fixed = find(results, "staticBearer");
                Statistics c = conduit.getPrimaryResult().getStatistics();
                Statistics s = fixed.getPrimaryResult().getStatistics();
                double ratio = c.getPercentile(50) / s.getPercentile(50);
                ratios.add(ratio);
                report.append(String.format("| %d | %d | %s | %,.0f [%,.0f-%,.0f] | %,.0f [%,.0f-%,.0f] | %.3f | %s | %s |%n",
                        threads, round, load, c.getPercentile(50), c.getMin(), c.getMax(), s.getPercentile(50),
                        s.getMin(), s.getMax(), ratio, bytesPerOp(conduit), bytesPerOp(fixed)));
            }
            ratios.sort(Double::compare);
            summary.append(String.format("| %d | %.3f [%.3f-%.3f] |%n", threads, ratios.get(ratios.size() / 2),
                    ratios.get(0), ratios.get(ratios.size() - 1)));
        }
        report.append(summary).append("\nGoal: Conduit/static >= 0.9. Ended ").append(Instant.now()).append(", load ")
                .append(Suite.Machine.loadAverage()).append(".\n");
        Files.writeString(out.resolve("typed-client.txt"), report);
        System.out.println(report);
    }

    private static String bytesPerOp(RunResult result) {
        Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
        return alloc == null ? "n/a" : String.format("%,.0f", alloc.getScore());
    }

    private static RunResult find(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for " + method));
    }
}
