package dev.conduit.core.lifecycle;

import static dev.conduit.core.testing.ScriptedResponse.oauthError;
import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static dev.conduit.core.testing.ScriptedResponse.rateLimited;
import static dev.conduit.core.testing.ScriptedResponse.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.RetryPolicy;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.SwitchableTokenStore;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lifecycle rules of DESIGN.md, driven through the real token endpoint client against a hostile server. */
class TokenServiceTest {

    private static final String NAME = TestSystems.SYSTEM_NAME;
    private static final Subject APP = Subject.application();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final List<Duration> sleeps = new ArrayList<>();
    private final LeakCheck leaks = new LeakCheck().secret(TestSystems.CLIENT_SECRET);
    private HostileTokenServer server;
    private InMemoryConnectedSystemRepository systems;
    private InMemoryTokenStore store;
    private TokenService service;
    private AutoCloseable logs;

    @BeforeEach
    void setUp() {
        server = HostileTokenServer.start();
        systems = new InMemoryConnectedSystemRepository(clock);
        store = new InMemoryTokenStore();
        logs = leaks.recordLogs();
        service = newService(sleeps::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        logs.close();
        server.close();
        leaks.assertNoLeak();
    }

    /**
     * A service whose token endpoint waits as long as a loaded machine needs: a read timeout of 500 ms there would
     * retry a request the server did answer, and count two requests where the test expects one.
     */
    private TokenService newService(Sleeper sleeper) {
        return newService(sleeper, TestSystems.answeringSettings());
    }

    private TokenService newService(Sleeper sleeper, HttpSettings settings) {
        return new TokenService(systems, store, GrantRegistry.of(new ClientCredentialsGrant()),
                new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), settings, clock), clock, sleeper);
    }

    private ConnectedSystem register(ConnectedSystem.Builder builder) {
        return systems.create(builder.build());
    }

    private ConduitException failure(Runnable call) {
        RuntimeException e = leaks.expectThrows(call);
        assertThat(e).isInstanceOf(ConduitException.class);
        return (ConduitException) e;
    }

    @Test
    void accessTokenWhenCachedThenNoSecondRequest() {
        register(TestSystems.clientCredentials(server));
        server.enqueue(okToken("tok-1", 3600));

        AccessToken first = service.accessToken(systems.get(NAME), APP);
        AccessToken second = service.accessToken(systems.get(NAME), APP);

        assertThat(second).isSameAs(first);
        assertThat(first.value().reveal()).isEqualTo("tok-1");
        assertThat(server.requestCount()).isEqualTo(1);
        leaks.secret(first.value()).collect(first.toString());
    }

    @Test
    void accessTokenWhenTheStoreIsUnavailableThenStoreUnavailableNothingDisabledAndRecoversByItself() {
        register(TestSystems.clientCredentials(server));
        SwitchableTokenStore database = new SwitchableTokenStore(store);
        TokenService service = new TokenService(systems, database, GrantRegistry.of(new ClientCredentialsGrant()),
                new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), TestSystems.answeringSettings(), clock), clock,
                sleeps::add);
        server.setDefault(okToken("tok-1", 3600));
        database.setAvailable(false);

        for (int call = 0; call < 5; call++) {
            assertThat(failure(() -> service.accessToken(systems.get(NAME), APP)).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        }

        assertThat(systems.status(NAME).isOk()).isTrue();
        assertThat(server.requestCount()).isZero();
        assertThat(sleeps).isEmpty();
        database.setAvailable(true);
        assertThat(service.accessToken(systems.get(NAME), APP).value().reveal()).isEqualTo("tok-1");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void accessTokenWhenWithinRefreshLeadThenRefetchedAhead() {
        register(TestSystems.clientCredentials(server));
        server.enqueue(okToken("tok-1", 3600), okToken("tok-2", 3600));
        service.accessToken(systems.get(NAME), APP);

        clock.advance(Duration.ofSeconds(3600 - 61));
        assertThat(service.accessToken(systems.get(NAME), APP).value().reveal()).isEqualTo("tok-1");
        clock.advance(Duration.ofSeconds(2));
        assertThat(service.accessToken(systems.get(NAME), APP).value().reveal()).isEqualTo("tok-2");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void accessTokenWhenShortLivedThenLeadIsHalfTheLifetime() {
        register(TestSystems.clientCredentials(server));
        server.enqueue(okToken("short-1", 10), okToken("short-2", 10));
        service.accessToken(systems.get(NAME), APP);

        clock.advance(Duration.ofSeconds(4));
        assertThat(service.accessToken(systems.get(NAME), APP).value().reveal()).isEqualTo("short-1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(service.accessToken(systems.get(NAME), APP).value().reveal()).isEqualTo("short-2");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void accessTokenWhen200CallersFindTokenExpiredThenExactlyOneRequest() throws Exception {
        register(TestSystems.clientCredentials(server));
        server.enqueue(okToken("old", 3600));
        service.accessToken(systems.get(NAME), APP);
        clock.advance(Duration.ofHours(2));
        server.setDefault(okToken("new", 3600).withDelay(Duration.ofMillis(100)));

        int callers = 200;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AccessToken>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            results.add(pool.submit((Callable<AccessToken>) () -> {
                start.await();
                return service.accessToken(systems.get(NAME), APP);
            }));
        }
        start.countDown();
        Set<String> tokens = new HashSet<>();
        for (Future<AccessToken> result : results) {
            tokens.add(result.get(10, TimeUnit.SECONDS).value().reveal());
        }
        pool.shutdown();

        assertThat(tokens).containsExactly("new");
        assertThat(server.requestCount()).isEqualTo(2); // the first token, then exactly one for the expiry
    }

    @Test
    void accessTokenWhen500RepeatedThenErrorAfterExactlyMaxAttempts() {
        register(TestSystems.clientCredentials(server).retryPolicy(new RetryPolicy(3, Duration.ofSeconds(30))));
        server.setDefault(status(500));

        ConduitException e = failure(() -> service.accessToken(systems.get(NAME), APP));

        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE);
        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps.get(1)).isGreaterThanOrEqualTo(Backoff.BASE); // exponential: attempt 2 waits >= base
        SystemStatus status = systems.status(NAME);
        assertThat(status.state()).isEqualTo(SystemStatus.State.ERROR);
        assertThat(status.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE);
        assertThat(status.reason()).contains("3 attempts");
        assertThat(status.hint()).isNotBlank();
    }

    @Test
    void accessTokenWhenSystemDisabledThenFailsFastWithoutRequest() {
        register(TestSystems.clientCredentials(server).retryPolicy(new RetryPolicy(1, Duration.ofSeconds(30))));
        server.setDefault(status(503));
        failure(() -> service.accessToken(systems.get(NAME), APP));
        int before = server.requestCount();

        ConduitException e = failure(() -> service.accessToken(systems.get(NAME), APP));

        assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_DISABLED);
        assertThat(e.getMessage()).contains("disabled (ENDPOINT_UNAVAILABLE)");
        assertThat(server.requestCount()).isEqualTo(before);
    }

    @Test
    void testWhenSystemDisabledAndEndpointRecoveredThenOkAgain() {
        register(TestSystems.clientCredentials(server).retryPolicy(new RetryPolicy(1, Duration.ofSeconds(30))));
        server.enqueue(status(500));
        failure(() -> service.accessToken(systems.get(NAME), APP));
        assertThat(systems.status(NAME).isOk()).isFalse();
        server.enqueue(okToken("after-fix", 3600));

        AccessToken token = service.test(systems.get(NAME));

        assertThat(token.value().reveal()).isEqualTo("after-fix");
        assertThat(systems.status(NAME).isOk()).isTrue();
        assertThat(service.accessToken(systems.get(NAME), APP)).isSameAs(token);
    }

    @Test
    void accessTokenWhenInvalidClientThenOneRequestAndDisabled() {
        register(TestSystems.clientCredentials(server));
        server.setDefault(oauthError(401, "invalid_client", "Client authentication failed"));

        ConduitException e = failure(() -> service.accessToken(systems.get(NAME), APP));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        assertThat(e.oauthError()).hasValueSatisfying(err -> assertThat(err.error()).isEqualTo("invalid_client"));
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
        assertThat(systems.status(NAME).code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        assertThat(systems.status(NAME).hint()).contains("client secret");
    }

    @Test
    void accessTokenWhenUnauthorizedClientThenOneRequestAndDisabled() {
        register(TestSystems.clientCredentials(server));
        server.setDefault(oauthError(401, "unauthorized_client", "Invalid client or Invalid client credentials"));

        ConduitException e = failure(() -> service.accessToken(systems.get(NAME), APP));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(systems.status(NAME).state()).isEqualTo(SystemStatus.State.ERROR);
    }

    @Test
    void accessTokenWhen429WithRetryAfterThenWaitsAsAskedAndSucceeds() {
        register(TestSystems.clientCredentials(server));
        server.enqueue(rateLimited("1"), okToken("after-wait", 3600));

        AccessToken token = service.accessToken(systems.get(NAME), APP);

        assertThat(token.value().reveal()).isEqualTo("after-wait");
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void accessTokenWhen429AskedToWaitPastBudgetThenGivesUpWithoutSleeping() {
        register(TestSystems.clientCredentials(server).retryPolicy(new RetryPolicy(3, Duration.ofSeconds(5))));
        server.setDefault(rateLimited("120"));

        ConduitException e = failure(() -> service.accessToken(systems.get(NAME), APP));

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void accessTokenWhenServerNeverAnswersThenBoundedByTimeout() {
        register(TestSystems.clientCredentials(server).retryPolicy(new RetryPolicy(2, Duration.ofSeconds(30))));
        server.setDefault(ScriptedResponse.hang());
        TokenService fast = newService(sleeps::add, TestSystems.fastSettings());
        long started = System.nanoTime();

        ConduitException e = failure(() -> fast.accessToken(systems.get(NAME), APP));

        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE);
        assertThat(server.requestCount()).isEqualTo(2);
        // two read timeouts of 500 ms (the sleeper does not really sleep); far below the 30 s budget
        assertThat(elapsedMillis).isLessThan(5_000);
    }

    @Test
    void accessTokenWhenUserOfPerAppSystemThenWrongSubject() {
        register(TestSystems.clientCredentials(server));

        ConduitException e = failure(() -> service.accessToken(systems.get(NAME), Subject.user("alice")));

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_SUBJECT);
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void accessTokenWhenUnknownSystemThenUnknownSystem() {
        assertThat(failure(() -> service.accessToken(systems.get("nope"), APP)).code()).isEqualTo(ErrorCode.UNKNOWN_SYSTEM);
    }

    @Test
    void accessTokenWhenAnotherNodeRefreshedThenStoredTokenUsedWithoutRequest() {
        register(TestSystems.clientCredentials(server));
        server.enqueue(okToken("mine", 3600));
        service.accessToken(systems.get(NAME), APP);
        TokenService otherNode = newService(sleeps::add);
        clock.advance(Duration.ofHours(2));
        server.enqueue(okToken("from-other-node", 3600));
        otherNode.accessToken(systems.get(NAME), APP);

        AccessToken seen = service.accessToken(systems.get(NAME), APP);

        assertThat(seen.value().reveal()).isEqualTo("from-other-node");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void invalidateWhenTokenStillCurrentThenNextCallFetches() {
        register(TestSystems.clientCredentials(server));
        server.enqueue(okToken("rejected", 3600), okToken("replacement", 3600));
        AccessToken rejected = service.accessToken(systems.get(NAME), APP);
        clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));

        assertThat(service.invalidate(NAME, APP, rejected)).isTrue();
        assertThat(service.accessToken(systems.get(NAME), APP).value().reveal()).isEqualTo("replacement");
        // already replaced: a retry with the replacement may help, and needs no token request
        assertThat(service.invalidate(NAME, APP, rejected)).isTrue();
        assertThat(service.accessToken(systems.get(NAME), APP).value().reveal()).isEqualTo("replacement");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void discardWhenSystemEditedThenStoredTokensGone() {
        register(TestSystems.clientCredentials(server));
        server.enqueue(okToken("before-edit", 3600), okToken("after-edit", 3600));
        service.accessToken(systems.get(NAME), APP);

        service.discard(NAME);

        assertThat(store.load(new TokenKey(NAME, APP))).isEmpty();
        assertThat(service.accessToken(systems.get(NAME), APP).value().reveal()).isEqualTo("after-edit");
    }

    @Test
    void failuresWhenCollectedThenNoSecretOrTokenInMessagesOrLogs() {
        register(TestSystems.clientCredentials(server).retryPolicy(new RetryPolicy(2, Duration.ofSeconds(30))));
        server.enqueue(status(500), ScriptedResponse.json(200, "{\"access_token\":\"leaky-token-123\"}"));
        leaks.secret("leaky-token-123");

        ConduitException e = failure(() -> service.accessToken(systems.get(NAME), APP));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN_RESPONSE);
        leaks.collect(systems.status(NAME).reason());
        leaks.collect(systems.find(NAME).orElseThrow().toString());
    }
}
