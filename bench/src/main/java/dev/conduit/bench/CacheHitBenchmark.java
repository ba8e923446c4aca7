package dev.conduit.bench;

import dev.conduit.core.lifecycle.AccessToken;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
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
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * Figure 1: the cost of handing out a cached, valid token. Conduit's {@code TokenService.accessToken} and Spring's
 * {@code authorize()} each hold one token obtained from the same loopback endpoint; the floor is what no token cache
 * can beat: one {@link ConcurrentHashMap#get} and one clock check against the expiry. Run it at 1 and 2 threads
 * ({@code -t}) with {@code -prof gc} for bytes per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CacheHitBenchmark {

    /** The floor's value: a token and its expiry in epoch milliseconds. */
    public record FloorToken(String value, long expiresAtMillis) {
    }

    private final Clock clock = Clock.systemUTC();
    private LoopbackTokenServer server;
    private ConduitSide conduit;
    private SpringSide spring;
    private final ConcurrentHashMap<String, FloorToken> floor = new ConcurrentHashMap<>();
    private final String floorKey = new String(ConduitSide.SYSTEM.toCharArray());

    @Setup(Level.Trial)
    public void start() {
        server = LoopbackTokenServer.start(Duration.ZERO, Duration.ofHours(1));
        conduit = new ConduitSide(server.tokenUrl(), clock);
        spring = new SpringSide(server.tokenUrl());
        conduit.applicationToken();
        spring.applicationToken();
        floor.put(ConduitSide.SYSTEM, new FloorToken("floor-token", clock.millis() + Duration.ofHours(1).toMillis()));
        if (server.requests() != 2) {
            throw new IllegalStateException("expected one token request per side, saw " + server.requests());
        }
    }

    /** A cache-hit benchmark that reached the token endpoint measured something else: fail the run. */
    @TearDown(Level.Trial)
    public void stop() {
        int requests = server.requests();
        server.close();
        if (requests != 2) {
            throw new IllegalStateException("the token endpoint saw " + requests + " requests; a hit must make none");
        }
    }

    @Benchmark
    public AccessToken conduit() {
        return conduit.applicationToken();
    }

    @Benchmark
    public OAuth2AccessToken spring() {
        return spring.applicationToken();
    }

    @Benchmark
    public FloorToken floor() {
        FloorToken token = floor.get(floorKey);
        if (token != null && clock.millis() < token.expiresAtMillis()) {
            return token;
        }
        throw new IllegalStateException("the floor's token is missing or expired");
    }
}
