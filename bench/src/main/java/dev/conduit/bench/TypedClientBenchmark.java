package dev.conduit.bench;

import dev.conduit.api.token.Subject;
import dev.conduit.web.authorization.AuthorizationLinks;
import dev.conduit.web.authorization.PublicUrl;
import dev.conduit.web.restclient.ConduitAuthentication;
import dev.conduit.web.restclient.ConnectedSystemName;
import dev.conduit.web.restclient.RestClientTokens;
import dev.conduit.web.restclient.StandaloneConduitAuthentication;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
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
 * Figure 7: a typed MicroProfile Rest Client (RESTEasy's, as Liberty's {@code mpRestClient} uses) calling a loopback
 * resource server for a 1 KiB answer, with {@link ConduitAuthentication} against the same client with a filter that
 * puts a fixed bearer header. Both sides build the same interface with the same builder settings and read the answer
 * as a string; the only difference is the filter. Conduit's token is cached: the run fails if the token endpoint saw
 * more than its one request, or if the resource server refused any call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class TypedClientBenchmark {

    /** The connected system the typed client names. */
    static final String SYSTEM = "bench-typed";

    /** The resource server's 1 KiB answer, as an application's typed client declares it. */
    @ConnectedSystemName(SYSTEM)
    public interface KibApi extends Closeable {
        @GET
        @Path("/kib")
        String kib();
    }

    /** The peer: a fixed bearer token on every request, which is what a client without a token broker does. */
    public static final class StaticBearer implements ClientRequestFilter {
        private final String header;

        public StaticBearer(String token) {
            this.header = "Bearer " + token;
        }

        @Override
        public void filter(ClientRequestContext request) {
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, header);
        }
    }

    private LoopbackTokenServer tokenServer;
    private LoopbackResourceServer resourceServer;
    private KibApi conduit;
    private KibApi fixed;

    @Setup(Level.Trial)
    public void start() {
        tokenServer = LoopbackTokenServer.start(Duration.ZERO, Duration.ofHours(1));
        resourceServer = LoopbackResourceServer.start(0);
        ConduitSide side = new ConduitSide(tokenServer.tokenUrl(), Clock.systemUTC());
        side.registerIntegration(SYSTEM, tokenServer.tokenUrl(), resourceServer.baseUrl());
        RestClientTokens tokens = new RestClientTokens(side.engine().administration(), side.tokenService(),
                new AuthorizationLinks(side.engine().authorizations(), new PublicUrl(Optional.of("http://127.0.0.1"))),
                () -> new RestClientTokens.Caller(null, null), side.policy());
        conduit = client(StandaloneConduitAuthentication.over(tokens));
        // the same kind of token, from the same endpoint, as Conduit sends: only where it comes from differs
        fixed = client(new StaticBearer(side.tokenService().accessToken(side.appSystem(), Subject.application()).value().reveal()));
        check(conduit.kib());
        check(fixed.kib());
    }

    private KibApi client(Object authentication) {
        return RestClientBuilder.newBuilder().baseUri(URI.create(resourceServer.baseUrl()))
                .connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS)
                .register(authentication).build(KibApi.class);
    }

    private static String check(String answer) {
        if (answer.length() != LoopbackResourceServer.KIB.length) {
            throw new IllegalStateException("expected the 1 KiB answer, got " + answer.length() + " characters");
        }
        return answer;
    }

    /** A benchmark whose calls were refused, or that fetched tokens, measured something else: fail the run. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        conduit.close();
        fixed.close();
        int tokenRequests = tokenServer.requests();
        long refused = resourceServer.refused();
        tokenServer.close();
        resourceServer.close();
        // one for the typed client's system, one for the fixed token taken from the other system
        if (tokenRequests != 2 || refused != 0) {
            throw new IllegalStateException("token requests " + tokenRequests + " (expected 2), resource server "
                    + "refusals " + refused + " (expected 0)");
        }
    }

    @Benchmark
    public String conduit() {
        return conduit.kib();
    }

    @Benchmark
    public String staticBearer() {
        return fixed.kib();
    }
}
