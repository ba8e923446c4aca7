package dev.conduit.bench;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.core.lifecycle.AccessToken;
import dev.conduit.core.lifecycle.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figure 3, lookup: one random user's token per operation, out of 1,000 to 100,000 users' tokens held. The floor is
 * a bare map of the same size keyed by user id, read the same way, so that what the memory hierarchy adds as the
 * table outgrows the caches shows in both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PerUserLookupBenchmark {

    @Param({"1000", "10000", "100000"})
    public int users;

    private final Clock clock = Clock.systemUTC();
    private LoopbackTokenServer server;
    private TokenService tokens;
    private ConnectedSystem system;
    /** What callers pass: equal to the stored keys' subjects, but other instances, as built from a request. */
    private Subject[] callers;
    private String[] callerIds;
    private final ConcurrentHashMap<String, CacheHitBenchmark.FloorToken> floor = new ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void fill() {
        server = LoopbackTokenServer.start(Duration.ZERO, Duration.ofHours(1));
        ConduitSide conduit = new ConduitSide(server.tokenUrl(), clock);
        tokens = conduit.tokenService();
        system = conduit.userSystem();
        callers = new Subject[users];
        callerIds = new String[users];
        long expiresAt = clock.millis() + Duration.ofHours(1).toMillis();
        for (int i = 0; i < users; i++) {
            conduit.acceptUserToken(Subject.user("user-" + i), "token-of-user-" + i);
            floor.put("user-" + i, new CacheHitBenchmark.FloorToken("token-of-user-" + i, expiresAt));
            callerIds[i] = "user-" + i;
            callers[i] = Subject.user(callerIds[i]);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        int requests = server.requests();
        server.close();
        if (requests != 0) {
            throw new IllegalStateException("the token endpoint saw " + requests + " requests; every lookup must hit");
        }
    }

    @Benchmark
    public AccessToken conduit() {
        return tokens.accessToken(system, callers[ThreadLocalRandom.current().nextInt(users)]);
    }

    @Benchmark
    public CacheHitBenchmark.FloorToken floor() {
        CacheHitBenchmark.FloorToken token = floor.get(callerIds[ThreadLocalRandom.current().nextInt(users)]);
        if (token != null && clock.millis() < token.expiresAtMillis()) {
            return token;
        }
        throw new IllegalStateException("the floor's token is missing or expired");
    }
}
