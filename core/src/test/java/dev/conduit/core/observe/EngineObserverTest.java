package dev.conduit.core.observe;

import static dev.conduit.core.testing.ScriptedResponse.json;
import static dev.conduit.core.testing.ScriptedResponse.oauthError;
import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static dev.conduit.core.testing.ScriptedResponse.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.grant.AcquiringGrant;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.integration.CallLimits;
import dev.conduit.core.integration.IntegrationClient;
import dev.conduit.core.integration.IntegrationRequest;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.Sleeper;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine tells its observer each cache hit and miss, token request, integration call and renewal. */
class EngineObserverTest {

    private static final String NAME = TestSystems.SYSTEM_NAME;
    private static final String ORDERS = "/api/orders/42";

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingObserver observer = new RecordingObserver();
    private HostileTokenServer server;
    private InMemoryConnectedSystemRepository systems;
    private TokenService tokens;
    private IntegrationClient client;

    @BeforeEach
    void setUp() {
        server = HostileTokenServer.start();
        systems = new InMemoryConnectedSystemRepository(clock);
        systems.create(TestSystems.clientCredentials(server).build());
        systems.create(TestSystems.clientCredentials(server).name("refreshing").grantType(RefreshingGrant.TYPE).build());
        tokens = new TokenService(systems, new InMemoryTokenStore(),
                GrantRegistry.of(new ClientCredentialsGrant(), new RefreshingGrant()),
                new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), HttpSettings.DEFAULT, clock), clock,
                Sleeper.THREAD, TokenService.DEFAULT_RENEWAL_WINDOW, observer);
        // default timeouts: a slow machine must not turn one request into a retry the test did not script
        client = new IntegrationClient(systems, tokens, TestSystems.loopbackPolicy(), HttpSettings.DEFAULT,
                CallLimits.DEFAULT, observer);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void accessTokenWhenCachedThenOneMissOneAcquireThenHitsWithoutRequests() {
        server.enqueue(okToken("tok-1", 3600));

        tokens.accessToken(systems.get(NAME), Subject.application());
        tokens.accessToken(systems.get(NAME), Subject.application());
        tokens.accessToken(systems.get(NAME), Subject.application());

        assertThat(observer.misses).hasValue(1);
        assertThat(observer.hits).hasValue(2);
        assertThat(observer.events).containsExactly("token " + NAME + " client_credentials acquire ok 200");
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void accessTokenWhenTheClientIsRefusedThenTheRequestEndsWithInvalidClient() {
        server.enqueue(oauthError(401, "invalid_client", "bad secret"));

        assertThatThrownBy(() -> tokens.accessToken(systems.get(NAME), Subject.application()))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT));

        assertThat(observer.events).containsExactly("token " + NAME + " client_credentials acquire failed INVALID_CLIENT");
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void accessTokenWhenDueForRefreshThenARefreshRequestIsObserved() {
        server.enqueue(okToken("tok-1", 120, "refresh-1"), okToken("tok-2", 120, "refresh-2"));

        tokens.accessToken(systems.get("refreshing"), Subject.application());
        clock.advance(Duration.ofSeconds(100));
        tokens.accessToken(systems.get("refreshing"), Subject.application());

        assertThat(observer.misses).hasValue(2);
        assertThat(observer.events).containsExactly(
                "token refreshing " + RefreshingGrant.TYPE + " acquire ok 200",
                "token refreshing " + RefreshingGrant.TYPE + " refresh ok 200");
        assertThat(server.requestCount("/token")).isEqualTo(2);
    }

    @Test
    void invokeWhenTheTokenIsRejectedThenOneRenewalAndBothCallsObservedWithTheirStatusAndHeaders() {
        server.enqueue(okToken("revoked-early", 3600), okToken("fresh", 3600));
        server.path(ORDERS).enqueue(status(401), json(200, "{}"));
        tokens.accessToken(systems.get(NAME), Subject.application());
        clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1)); // renewed at most once per window

        client.invoke(NAME, Subject.application(), IntegrationRequest.get("orders/42"));

        assertThat(observer.renewals).containsExactly(NAME);
        assertThat(observer.events).containsExactly(
                "token " + NAME + " client_credentials acquire ok 200",
                "call " + NAME + " GET ok 401",
                "token " + NAME + " client_credentials acquire ok 200",
                "call " + NAME + " GET ok 200");
        assertThat(server.requests(ORDERS)).allSatisfy(request ->
                assertThat(request.header("X-Observed")).contains("by-observer"));
        assertThat(server.requestCount(ORDERS)).isEqualTo(2);
    }

    @Test
    void invokeWhenTheResourceServerIsSilentThenTheCallEndsWithIntegrationCallTimeout() {
        server.enqueue(okToken("tok-1", 3600));
        server.path(ORDERS).enqueue(dev.conduit.core.testing.ScriptedResponse.hang());
        IntegrationClient impatient = new IntegrationClient(systems, tokens, TestSystems.loopbackPolicy(),
                TestSystems.fastSettings(), new CallLimits(Duration.ofMillis(500), 1024), observer);

        assertThatThrownBy(() -> impatient.invoke(NAME, Subject.application(), IntegrationRequest.get("orders/42")))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRATION_CALL_TIMEOUT));

        assertThat(observer.events).endsWith("call " + NAME + " GET failed INTEGRATION_CALL_TIMEOUT");
        assertThat(observer.renewals).isEmpty();
    }

    @Test
    void allWhenTwoObserversThenEachHearsEveryEvent() {
        RecordingObserver second = new RecordingObserver();
        EngineObserver both = EngineObserver.all(observer, second);

        both.cacheHit();
        both.tokenRequest("crm", "client_credentials", TokenRequestKind.REFRESH).failed(ErrorCode.RATE_LIMITED);

        for (RecordingObserver each : List.of(observer, second)) {
            assertThat(each.hits).hasValue(1);
            assertThat(each.events).containsExactly("token crm client_credentials refresh failed RATE_LIMITED");
        }
    }

    /** Writes what it hears as short lines; adds a header to each integration call, as a trace propagator does. */
    static final class RecordingObserver implements EngineObserver {
        final AtomicInteger hits = new AtomicInteger();
        final AtomicInteger misses = new AtomicInteger();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> renewals = new CopyOnWriteArrayList<>();

        @Override
        public void cacheHit() {
            hits.incrementAndGet();
        }

        @Override
        public void cacheMiss() {
            misses.incrementAndGet();
        }

        @Override
        public Observation tokenRequest(String system, String grantType, TokenRequestKind kind) {
            return recording("token " + system + " " + grantType + " " + kind.label());
        }

        @Override
        public Observation integrationCall(String system, String method, BiConsumer<String, String> headers) {
            headers.accept("X-Observed", "by-observer");
            return recording("call " + system + " " + method);
        }

        @Override
        public void renewedAfterRejection(String system) {
            renewals.add(system);
        }

        private Observation recording(String begun) {
            return new Observation() {
                @Override
                public void succeeded(int status) {
                    events.add(begun + " ok " + status);
                }

                @Override
                public void failed(ErrorCode code) {
                    events.add(begun + " failed " + code);
                }
            };
        }
    }

    /** Client credentials that also refresh with a refresh token, for the refresh observation. */
    static final class RefreshingGrant implements AcquiringGrant, dev.conduit.api.grant.RefreshingGrant {
        static final String TYPE = "refreshing_client_credentials";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public TokenScope tokenScope() {
            return TokenScope.PER_APP;
        }

        @Override
        public TokenSet acquire(GrantRequest request) {
            return request.tokenEndpoint().requestToken(Map.of("grant_type", "client_credentials"));
        }

        @Override
        public TokenSet refresh(GrantRequest request, Secret refreshToken) {
            return request.tokenEndpoint().requestToken(
                    Map.of("grant_type", "refresh_token", "refresh_token", refreshToken.reveal()));
        }
    }
}
