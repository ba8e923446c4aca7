package dev.conduit.core.integration;

import static dev.conduit.core.testing.ScriptedResponse.json;
import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static dev.conduit.core.testing.ScriptedResponse.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.lifecycle.AccessToken;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The "token rejected" rule: renew and retry exactly once, and only renew a token that is still current. */
class IntegrationClientTest {

    private static final String NAME = TestSystems.SYSTEM_NAME;
    private static final Subject APP = Subject.application();
    private static final String ORDERS = "/api/orders/42";

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private HostileTokenServer server;
    private InMemoryConnectedSystemRepository systems;
    private TokenService tokens;
    private IntegrationClient client;

    @BeforeEach
    void setUp() {
        server = HostileTokenServer.start();
        systems = new InMemoryConnectedSystemRepository(clock);
        systems.create(TestSystems.clientCredentials(server).build());
        tokens = new TokenService(systems, new InMemoryTokenStore(), GrantRegistry.of(new ClientCredentialsGrant()),
                new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), TestSystems.fastSettings(), clock), clock);
        client = new IntegrationClient(systems, tokens, TestSystems.loopbackPolicy(), TestSystems.fastSettings());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static String bearer(RecordedRequest request) {
        return request.header("Authorization").orElse("");
    }

    @Test
    void invokeWhenAcceptedThenTokenInjectedAndNoRetry() {
        server.enqueue(okToken("tok-1", 3600));
        server.path(ORDERS).enqueue(json(200, "{\"id\":42}"));

        IntegrationResponse response = client.invoke(NAME, APP, new IntegrationRequest("GET", "orders/42",
                Map.of("expand", List.of("lines")), Map.of("Accept", List.of("application/json")), null));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("{\"id\":42}");
        assertThat(response.tokenRenewed()).isFalse();
        RecordedRequest call = server.requests(ORDERS).get(0);
        assertThat(bearer(call)).isEqualTo("Bearer tok-1");
        assertThat(call.queryParameter("expand")).contains("lines");
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    /** A client with these limits, whose token requests have the default timeouts (a busy machine is slow). */
    private IntegrationClient bounded(CallLimits limits) {
        TokenService patient = new TokenService(systems, new InMemoryTokenStore(),
                GrantRegistry.of(new ClientCredentialsGrant()), TestSystems.endpoints(clock), clock);
        return new IntegrationClient(systems, patient, TestSystems.loopbackPolicy(), TestSystems.fastSettings(), limits);
    }

    /** The next call to the stalling resource server ends with 504 INTEGRATION_CALL_TIMEOUT at its 2 s deadline. */
    private static void assertCutAfterTwoSeconds(IntegrationClient bounded) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> bounded.invoke(NAME, APP, IntegrationRequest.get("orders/42")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTEGRATION_CALL_TIMEOUT);
                    assertThat(e.code().httpStatus()).isEqualTo(504);
                    assertThat(e.getMessage()).contains("deadline of 2000 ms");
                });
        // not shorter than the deadline; the upper bound only keeps a loaded machine from failing the test
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1900),
                Duration.ofSeconds(20));
    }

    @Test
    void invokeWhenTheServerSendsHeadersThenStallsThenCutAtTheDeadline() {
        IntegrationClient bounded = bounded(new CallLimits(Duration.ofSeconds(2), CallLimits.DEFAULT.maxResponseBytes()));
        server.enqueue(okToken("tok-1", 3600));
        server.path(ORDERS).enqueue(json(200, "{}"), ScriptedResponse.headersThenStall());
        // the token obtained and the connection made by a first call, so that a slow machine does not spend the 2 s
        // deadline on them before the stalling answer
        assertThat(bounded.invoke(NAME, APP, IntegrationRequest.get("orders/42")).status()).isEqualTo(200);

        assertCutAfterTwoSeconds(bounded);
        assertThat(server.requestCount(ORDERS)).isEqualTo(2);
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void invokeWhenTheSystemSetsItsOwnDeadlineThenItWinsOverTheServersDeadline() {
        IntegrationClient bounded = bounded(CallLimits.DEFAULT);
        server.enqueue(okToken("tok-1", 3600));
        server.path(ORDERS).enqueue(json(200, "{}"), ScriptedResponse.headersThenStall());
        // the token obtained and the connection made first, under the server's 30 s, so that a slow machine does not
        // spend the system's 2 s on them
        assertThat(bounded.invoke(NAME, APP, IntegrationRequest.get("orders/42")).status()).isEqualTo(200);
        systems.update(systems.get(NAME).toBuilder().callDeadline(Duration.ofSeconds(2)).build());

        assertCutAfterTwoSeconds(bounded);
        assertThat(server.requestCount(ORDERS)).isEqualTo(2);
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void invokeWhenTheSystemSetsALongerRenewalWindowThenARejectionInsideItRenewsNothing() {
        systems.update(systems.get(NAME).toBuilder().renewalWindow(Duration.ofMinutes(5)).build());
        server.enqueue(okToken("rejected-one", 3600), okToken("never-fetched", 3600));
        server.path(ORDERS).setDefault(status(404));
        tokens.accessToken(systems.get(NAME), APP);
        // past the server's 30 s window, inside the system's 5 minutes
        clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));

        for (int i = 0; i < 100; i++) {
            assertThat(client.invoke(NAME, APP, IntegrationRequest.get("orders/42")).status()).isEqualTo(404);
        }
        assertThat(server.requestCount("/token")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(5));
        IntegrationResponse afterTheWindow = client.invoke(NAME, APP, IntegrationRequest.get("orders/42"));

        assertThat(afterTheWindow.tokenRenewed()).isTrue();
        assertThat(server.requestCount("/token")).isEqualTo(2);
    }

    @Test
    void invokeWhenTheServerSends100MiBThenCutAtTheLimit() {
        int limit = 1024 * 1024;
        IntegrationClient bounded = bounded(new CallLimits(Duration.ofSeconds(30), limit));
        server.enqueue(okToken("tok-1", 3600));
        server.path(ORDERS).enqueue(ScriptedResponse.streamed(100L * 1024 * 1024));

        assertThatThrownBy(() -> bounded.invoke(NAME, APP, IntegrationRequest.get("orders/42")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTEGRATION_RESPONSE_TOO_LARGE);
                    assertThat(e.code().httpStatus()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("more than " + limit + " bytes");
                });

        // the client stopped reading near the limit: socket buffers hold a few MiB at most, never the 100
        assertThat(server.streamedBytes()).isLessThan(32L * 1024 * 1024);
        assertThat(server.requestCount(ORDERS)).isEqualTo(1);
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Bad Name", "X-Bad:Name", "X-Ünicode"})
    void invokeWhenAHeaderNameIsInvalidThenInvalidRequestAndNothingSent(String name) {
        LeakCheck leaks = new LeakCheck().secret("header-value-3e9a");

        RuntimeException e = leaks.expectThrows(() -> client.invoke(NAME, APP, new IntegrationRequest("GET",
                "orders/42", Map.of(), Map.of(name, List.of("header-value-3e9a")), null)));

        assertThat(e).isInstanceOfSatisfying(ConduitException.class, ce -> {
            assertThat(ce.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(ce.code().httpStatus()).isEqualTo(400);
            assertThat(ce.field()).contains("headers");
        });
        leaks.assertNoLeak();
        assertThat(server.requestCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tok3n\u0000value", "tok3n\u0007value", "tok3n\u0100value"})
    void invokeWhenAHeaderValueIsInvalidThenInvalidRequestNamingTheHeaderNotTheValue(String escaped) {
        String value = escaped.translateEscapes();
        LeakCheck leaks = new LeakCheck().secret(value, "tok3n");

        RuntimeException e = leaks.expectThrows(() -> client.invoke(NAME, APP, new IntegrationRequest("GET",
                "orders/42", Map.of(), Map.of("X-Api-Key", List.of(value)), null)));

        assertThat(e).isInstanceOfSatisfying(ConduitException.class, ce -> {
            assertThat(ce.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(ce.getMessage()).contains("'X-Api-Key'");
        });
        leaks.assertNoLeak();
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void invokeWhenGivenTheSystemThenSendsWithoutReadingItAgain() {
        server.enqueue(okToken("tok-1", 3600));
        server.path(ORDERS).enqueue(json(200, "{\"id\":42}"));
        ConnectedSystem system = systems.find(NAME).orElseThrow();
        tokens.accessToken(systems.get(NAME), APP); // cached: the call itself needs nothing from the repository
        systems.delete(NAME); // so a second read of the system would fail with UNKNOWN_SYSTEM

        IntegrationResponse response = client.invoke(system, APP, IntegrationRequest.get("orders/42"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(bearer(server.requests(ORDERS).get(0))).isEqualTo("Bearer tok-1");
        assertThatThrownBy(() -> client.invoke(NAME, APP, IntegrationRequest.get("orders/42")))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SYSTEM));
    }

    @Test
    void invokeWhen401ThenOneRefetchAndOneRetry() {
        server.enqueue(okToken("revoked-early", 3600), okToken("fresh", 3600));
        server.path(ORDERS).enqueue(status(401), json(200, "{}"));
        tokens.accessToken(systems.get(NAME), APP);
        clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1)); // renewed at most once per window

        IntegrationResponse response = client.invoke(NAME, APP, IntegrationRequest.get("orders/42"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.tokenRenewed()).isTrue();
        assertThat(server.requestCount("/token")).isEqualTo(2);
        assertThat(server.requests(ORDERS)).extracting(IntegrationClientTest::bearer)
                .containsExactly("Bearer revoked-early", "Bearer fresh");
    }

    @Test
    void invokeWhenRetryAlsoRejectedThenNoLoop() {
        server.setDefault(okToken("always-rejected", 3600));
        server.path(ORDERS).setDefault(status(403));
        tokens.accessToken(systems.get(NAME), APP);
        clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));

        IntegrationResponse response = client.invoke(NAME, APP, IntegrationRequest.get("orders/42"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(server.requestCount(ORDERS)).isEqualTo(2);
        assertThat(server.requestCount("/token")).isEqualTo(2);
    }

    @Test
    void invokeWhen401ForAlreadyReplacedTokenThenNoSecondTokenRequest() {
        server.enqueue(okToken("replaced", 3600), okToken("current", 3600));
        AccessToken first = tokens.accessToken(systems.get(NAME), APP);
        clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));
        AtomicBoolean renewedElsewhere = new AtomicBoolean();
        // while this call is in flight, another call renews the token; then the server rejects the old one
        server.path(ORDERS).handle(request -> {
            if (renewedElsewhere.compareAndSet(false, true)) {
                tokens.invalidate(NAME, APP, first);
                tokens.accessToken(systems.get(NAME), APP);
                return status(401);
            }
            return json(200, "{}");
        });

        IntegrationResponse response = client.invoke(NAME, APP, IntegrationRequest.get("orders/42"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(server.requestCount("/token")).isEqualTo(2); // "replaced", then "current" by the other call only
        assertThat(server.requests(ORDERS)).extracting(IntegrationClientTest::bearer)
                .containsExactly("Bearer replaced", "Bearer current");
    }

    @Test
    void invokeWhenStatusNotConfiguredAsRejectionThenReturnedAsIs() {
        server.enqueue(okToken("tok", 3600));
        server.path(ORDERS).enqueue(status(500));

        IntegrationResponse response = client.invoke(NAME, APP, IntegrationRequest.get("orders/42"));

        assertThat(response.status()).isEqualTo(500);
        assertThat(server.requestCount(ORDERS)).isEqualTo(1);
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void requestWhenPathClimbsOutThenInvalidRequest() {
        assertThatThrownBy(() -> IntegrationRequest.get("orders/../../admin"))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("path");
                });
        assertThatThrownBy(() -> new IntegrationRequest("GET", "x", Map.of(),
                Map.of("Authorization", List.of("Bearer stolen")), null))
                .isInstanceOfSatisfying(ConduitException.class, e -> assertThat(e.field()).contains("headers"));
    }
}
