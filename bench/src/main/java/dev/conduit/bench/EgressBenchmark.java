package dev.conduit.bench;

import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.policy.EndpointPolicy;
import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
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
 * Figure 8: what the connection-time check costs a request. The same keep-alive GET of 37 bytes from the loopback
 * resource server, sent by Conduit's client ({@code HttpSettings.newHttpClient(policy)}: its proxy selector resolves
 * the host and checks the answer for every request, and the request goes in absolute form to the checked address)
 * and by a JDK client with no proxy selector (the floor). {@code select} is the selector's own cost alone. Run it
 * with {@code -prof gc} for bytes per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class EgressBenchmark {

    private LoopbackResourceServer server;
    private EndpointPolicy policy;
    private HttpClient checked;
    private HttpClient unchecked;
    private HttpRequest request;
    private URI target;

    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        server = LoopbackResourceServer.start(0);
        // "localhost" rather than a literal: the name is resolved (from the JVM's cache) like a provider's would be
        target = URI.create(server.baseUrl().replace("127.0.0.1", "localhost") + "/hello");
        policy = EndpointPolicy.allowingLoopback(List.of());
        checked = HttpSettings.DEFAULT.newHttpClient(policy);
        unchecked = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        request = HttpRequest.newBuilder(target).header("Authorization", "Bearer bench-token-egress").build();
        for (HttpClient client : List.of(checked, unchecked)) {
            int status = client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("the loopback resource server answered " + status);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }

    @Benchmark
    public int throughConduitsClient() throws IOException, InterruptedException {
        return checked.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    @Benchmark
    public int floorWithoutProxySelector() throws IOException, InterruptedException {
        return unchecked.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    @Benchmark
    public List<Proxy> select() {
        return policy.egress().select(target);
    }
}
