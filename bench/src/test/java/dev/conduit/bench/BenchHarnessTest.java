package dev.conduit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The harness measures what it claims: hits make no request, an expired token makes one per side, bad clients are refused. */
class BenchHarnessTest {

    private LoopbackTokenServer server;

    @BeforeEach
    void start() {
        server = LoopbackTokenServer.start(Duration.ZERO, Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void tokenEndpointWhenClientCredentialsMissingThenRefusesWith401() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("invalid_client");
        assertThat(server.refused()).isEqualTo(1);
        assertThat(server.requests()).isZero();
    }

    @Test
    void applicationTokenWhenCachedThenBothSidesMakeNoFurtherRequest() {
        ConduitSide conduit = new ConduitSide(server.tokenUrl(), Clock.systemUTC());
        SpringSide spring = new SpringSide(server.tokenUrl());

        String conduitFirst = conduit.applicationToken().value().reveal();
        String springFirst = spring.applicationToken().getTokenValue();
        for (int i = 0; i < 100; i++) {
            assertThat(conduit.applicationToken().value().reveal()).isEqualTo(conduitFirst);
            assertThat(spring.applicationToken().getTokenValue()).isEqualTo(springFirst);
        }

        assertThat(conduitFirst).startsWith("bench-token-");
        assertThat(springFirst).startsWith("bench-token-").isNotEqualTo(conduitFirst);
        assertThat(server.requests()).isEqualTo(2);
        assertThat(server.refused()).isZero();
    }

    @Test
    void applicationTokenWhenSeededJustExpiredThenEachSideRequestsOnce() {
        ConduitSide conduit = new ConduitSide(server.tokenUrl(), Clock.systemUTC());
        SpringSide spring = new SpringSide(server.tokenUrl());
        conduit.seedJustExpired();
        spring.seedJustExpired();

        assertThat(conduit.applicationToken().value().reveal()).startsWith("bench-token-");
        assertThat(spring.applicationToken().getTokenValue()).startsWith("bench-token-");
        conduit.applicationToken();
        spring.applicationToken();

        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void runWhenCallersFindTokenJustExpiredThenConduitMakesOneRequestPerBurst() {
        ExpiryBurst.Result result = new ExpiryBurst(50, Duration.ofMillis(20), 2, 1).run();

        assertThat(result.conduit().bursts()).hasSize(2)
                .allSatisfy(burst -> assertThat(burst.tokenRequests()).isEqualTo(1));
        assertThat(result.conduit().failures()).isZero();
        assertThat(result.spring().failures()).isZero();
        assertThat(result.spring().bursts()).allSatisfy(burst -> assertThat(burst.tokenRequests()).isPositive());
        // the callers who came before the answer waited for the one 20 ms request
        assertThat(result.conduit().p99Millis().max()).isGreaterThanOrEqualTo(15.0);
    }

    @Test
    void percentileWhenNearestRankThenPicksTheCeilingRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }

        assertThat(ExpiryBurst.percentile(sorted, 0.50)).isEqualTo(50);
        assertThat(ExpiryBurst.percentile(sorted, 0.99)).isEqualTo(99);
        assertThat(ExpiryBurst.percentile(new long[] {7}, 0.99)).isEqualTo(7);
    }

    @Test
    void typedClientWhenBothSidesCallThenEachGetsTheKibAnswerAndConduitFetchesOneToken() throws Exception {
        TypedClientBenchmark typed = new TypedClientBenchmark();
        typed.start();
        try {
            for (int i = 0; i < 20; i++) {
                assertThat(typed.conduit()).hasSize(LoopbackResourceServer.KIB.length).startsWith("{\"items\":");
                assertThat(typed.staticBearer()).hasSize(LoopbackResourceServer.KIB.length);
            }
        } finally {
            // fails unless the token endpoint saw exactly its two requests and the resource server refused nothing
            typed.stop();
        }
    }
}
