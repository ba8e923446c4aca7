package dev.conduit.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.lifecycle.AccessToken;
import dev.conduit.web.store.JdbcConnectedSystemRepository;
import dev.conduit.web.store.JdbcTokenStore;
import dev.conduit.web.store.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figure 3, the miss path: a user's token that is in PostgreSQL but not in this node's memory (after a restart, or
 * when another node refreshed it). Every operation asks a fresh {@code TokenService} (an empty cache over the same
 * JDBC stores, a pooled data source and a real PostgreSQL), so every operation is a miss: the system and its status
 * are read, the key's row is locked and re-read in one transaction, and the token is found fresh and cached.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PostgresMissBenchmark {

    static final int USERS = 1000;

    private final Clock clock = Clock.systemUTC();
    private EmbeddedPostgres postgres;
    private HikariDataSource pool;
    private LoopbackTokenServer server;
    private ConduitSide conduit;
    private ConnectedSystem system;
    private Subject[] callers;

    @Setup(Level.Trial)
    public void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        Migrations.migrate(pool);
        SecretCipher cipher = SecretCipher.fromBase64("k1", Map.of("k1", SecretCipher.generateKey()));
        server = LoopbackTokenServer.start(Duration.ZERO, Duration.ofHours(1));
        conduit = new ConduitSide(server.tokenUrl(), clock, new JdbcTokenStore(pool, cipher, clock),
                new JdbcConnectedSystemRepository(pool, cipher, clock));
        system = conduit.userSystem();
        callers = new Subject[USERS];
        for (int i = 0; i < USERS; i++) {
            conduit.acceptUserToken(Subject.user("user-" + i), "token-of-user-" + i);
            callers[i] = Subject.user("user-" + i);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        int requests = server.requests();
        server.close();
        pool.close();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (requests != 0) {
            throw new IllegalStateException("the token endpoint saw " + requests + " requests; every miss must find "
                    + "its token in PostgreSQL");
        }
    }

    @Benchmark
    public AccessToken conduitMiss() {
        return conduit.newTokenService()
                .accessToken(system, callers[ThreadLocalRandom.current().nextInt(USERS)]);
    }
}
