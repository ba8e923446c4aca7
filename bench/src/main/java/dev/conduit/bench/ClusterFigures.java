package dev.conduit.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.conduit.api.ConduitException;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.lifecycle.AccessToken;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.store.CachingSystemRepository;
import dev.conduit.web.store.JdbcConnectedSystemRepository;
import dev.conduit.web.store.JdbcTokenStore;
import dev.conduit.web.store.Migrations;
import dev.conduit.web.store.PostgresInvalidations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The figures of two servers on one PostgreSQL, measured in this process against a real PostgreSQL: two Conduit
 * engines, each with its own connection pool, JDBC stores, system cache and LISTEN connection, as two servers have.
 *
 * <ol>
 *   <li>Expiry burst across both: 1,000 callers, half on each engine, find the per-app token due for renewal; the
 *       token endpoint answers after 20 ms. Token requests per burst (goal 1) and the callers' p50/p99 wait.</li>
 *   <li>Disconnect propagation: a user's token is held in engine B's memory; the user disconnects on engine A; the time
 *       until B no longer serves that token, from the start of the disconnect and from its return (p50/p99, 50 runs).</li>
 * </ol>
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.conduit.bench.ClusterFigures docs/bench-results</pre>
 */
public final class ClusterFigures {

    private static final int CALLERS = 1000;
    private static final int BURSTS = 10;
    private static final int DISCONNECTS = 50;
    /** The endpoint's token lifetime: Conduit renews it at half, 1.5 s after it was issued. */
    private static final Duration LIFETIME = Duration.ofSeconds(3);

    private ClusterFigures() {
    }

    /** One server: a pool, its invalidation listener, its token service. */
    private record Node(HikariDataSource pool, PostgresInvalidations invalidations, TokenService tokens) {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/bench-results");
        Clock clock = Clock.systemUTC();
        SecretCipher cipher = SecretCipher.fromBase64("k1", Map.of("k1", SecretCipher.generateKey()));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                LoopbackTokenServer server = LoopbackTokenServer.start(Duration.ofMillis(20), LIFETIME)) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            HikariDataSource poolA = pool(url);
            Migrations.migrate(poolA);
            PostgresInvalidations invalidationsA = PostgresInvalidations.start(poolA);
            CachingSystemRepository systemsA = new CachingSystemRepository(
                    new JdbcConnectedSystemRepository(poolA, cipher, clock), clock, Duration.ofHours(1), invalidationsA);
            ConduitSide side = new ConduitSide(server.tokenUrl(), clock, new JdbcTokenStore(poolA, cipher, clock),
                    systemsA);
            Node a = new Node(poolA, invalidationsA, side.tokenServiceOf(systemsA,
                    new JdbcTokenStore(poolA, cipher, clock), invalidationsA));
            HikariDataSource poolB = pool(url);
            PostgresInvalidations invalidationsB = PostgresInvalidations.start(poolB);
            CachingSystemRepository systemsB = new CachingSystemRepository(
                    new JdbcConnectedSystemRepository(poolB, cipher, clock), clock, Duration.ofHours(1), invalidationsB);
            Node b = new Node(poolB, invalidationsB, side.tokenServiceOf(systemsB,
                    new JdbcTokenStore(poolB, cipher, clock), invalidationsB));
            while (!a.invalidations().isListening() || !b.invalidations().isListening()) {
                Thread.sleep(10);
            }
            StringBuilder report = new StringBuilder();
            report.append(bursts(side.appSystem(), a, b, server)).append('\n');
            report.append(disconnects(side.userSystem(), a, b));
            System.out.print(report);
            Files.createDirectories(out);
            Files.writeString(out.resolve("cluster.txt"), report.toString(), StandardCharsets.UTF_8);
            for (Node node : List.of(a, b)) {
                node.invalidations().close();
                node.pool().close();
            }
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(20);
        return new HikariDataSource(config);
    }

    private static String bursts(ConnectedSystem system, Node a, Node b, LoopbackTokenServer server)
            throws Exception {
        a.tokens().accessToken(system, Subject.application());
        b.tokens().accessToken(system, Subject.application());
        StringBuilder lines = new StringBuilder("Expiry burst: " + CALLERS + " callers, half on each engine, 20 ms"
                + " token endpoint; per burst: token requests, p50 / p99 / max wait from the gate (ms), failures\n");
        List<Integer> requests = new ArrayList<>();
        for (int burst = 0; burst < BURSTS + 2; burst++) {
            // the token was issued at the last burst: wait until both engines must renew it
            Thread.sleep(LIFETIME.dividedBy(2).plusMillis(200).toMillis());
            server.resetCounts();
            CountDownLatch gate = new CountDownLatch(1);
            long[] waits = new long[CALLERS];
            AtomicInteger failures = new AtomicInteger();
            List<Thread> callers = new ArrayList<>();
            long[] opened = new long[1];
            for (int i = 0; i < CALLERS; i++) {
                int index = i;
                TokenService tokens = i % 2 == 0 ? a.tokens() : b.tokens();
                Thread caller = new Thread(() -> {
                    try {
                        gate.await();
                        tokens.accessToken(system, Subject.application());
                    } catch (ConduitException | InterruptedException e) {
                        failures.incrementAndGet();
                    }
                    waits[index] = System.nanoTime();
                });
                caller.start();
                callers.add(caller);
            }
            opened[0] = System.nanoTime();
            gate.countDown();
            for (Thread caller : callers) {
                caller.join();
            }
            List<Long> millis = new ArrayList<>();
            for (long done : waits) {
                millis.add((done - opened[0]) / 1_000_000);
            }
            Collections.sort(millis);
            if (burst >= 2) { // two warm-up bursts: connections, class loading and the JIT
                requests.add(server.requests());
                lines.append("  burst ").append(burst - 1).append(": ").append(server.requests()).append(" | ")
                        .append(percentile(millis, 50)).append(" / ").append(percentile(millis, 99)).append(" / ")
                        .append(millis.get(millis.size() - 1)).append(" | ").append(failures.get()).append('\n');
            }
        }
        lines.append("  token requests per burst: ").append(requests).append('\n');
        return lines.toString();
    }

    private static String disconnects(ConnectedSystem system, Node a, Node b) throws Exception {
        List<Long> fromStart = new ArrayList<>();
        List<Long> fromReturn = new ArrayList<>();
        for (int run = 0; run < DISCONNECTS + 10; run++) {
            Subject user = Subject.user("user-" + run);
            AccessToken held = b.tokens().accessToken(system, user); // obtained, stored and held in B's memory
            if (!b.tokens().accessToken(system, user).value().equals(held.value())) {
                throw new IllegalStateException("B does not hold the token in memory");
            }
            long started = System.nanoTime();
            a.tokens().disconnect(system.name(), user, tokens -> { });
            long returned = System.nanoTime();
            while (b.tokens().accessToken(system, user).value().equals(held.value())) {
                Thread.onSpinWait();
            }
            long refused = System.nanoTime();
            if (run >= 10) {
                fromStart.add((refused - started) / 1_000);
                fromReturn.add((refused - returned) / 1_000);
            }
        }
        Collections.sort(fromStart);
        Collections.sort(fromReturn);
        return "Disconnect on A until B no longer serves the old token, " + DISCONNECTS + " runs (microseconds):\n"
                + "  from the start of the disconnect: p50 " + percentile(fromStart, 50) + ", p99 "
                + percentile(fromStart, 99) + ", max " + fromStart.get(fromStart.size() - 1) + "\n"
                + "  from its return (the notification's way): p50 " + percentile(fromReturn, 50) + ", p99 "
                + percentile(fromReturn, 99) + ", max " + fromReturn.get(fromReturn.size() - 1) + "\n";
    }

    private static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(sorted.size() * percent / 100.0) - 1;
        return sorted.get(Math.max(0, index));
    }
}
