package dev.conduit.core.lifecycle;

import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.invalidation.Invalidations;
import dev.conduit.core.store.CachingSystemRepository;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.core.testing.UserRefreshGrant;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What happens to a token request that is running while the system or the user's authorization changes, and what a
 * server forgets when another server changes something. Two engines share one store and one invalidation channel, as
 * two servers share a database; the token request is held at the test server until the change is made, so that the
 * order is fixed and no timing is involved.
 */
class ConcurrentChangeTest {

    private static final String NAME = TestSystems.SYSTEM_NAME;
    private static final String USER_SYSTEM = "per-user";
    private static final Subject APP = Subject.application();
    private static final Subject ALICE = Subject.user("alice");

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final CountDownLatch requestArrived = new CountDownLatch(1);
    private final CountDownLatch releaseRequest = new CountDownLatch(1);
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private HostileTokenServer server;
    private InMemoryConnectedSystemRepository stored;
    private InMemoryTokenStore store;
    private Invalidations channel;
    private Node nodeA;
    private Node nodeB;

    /** One server: its system cache and token service over the shared repository, store and channel. */
    private record Node(CachingSystemRepository systems, TokenService tokens) {
        ConnectedSystem system(String name) {
            return systems.get(name);
        }
    }

    @BeforeEach
    void setUp() {
        server = HostileTokenServer.start();
        server.path("/revoke").handle(request -> {
            revoked.add(request.formParameter("token").orElseThrow());
            return ScriptedResponse.status(200);
        });
        stored = new InMemoryConnectedSystemRepository(clock);
        stored.create(TestSystems.clientCredentials(server).build());
        stored.create(TestSystems.clientCredentials(server).name(USER_SYSTEM).grantType(UserRefreshGrant.TYPE).build());
        store = new InMemoryTokenStore();
        channel = Invalidations.local();
        nodeA = node();
        nodeB = node();
    }

    private Node node() {
        // a cache time far beyond the test: only an invalidation can make a node read a system again
        CachingSystemRepository systems = new CachingSystemRepository(stored, clock, Duration.ofHours(1), channel);
        TokenService tokens = new TokenService(systems, store, GrantRegistry.of(new ClientCredentialsGrant(),
                new UserRefreshGrant()), new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(),
                TestSystems.answeringSettings(), clock), clock, wait -> { }, TokenService.DEFAULT_RENEWAL_WINDOW,
                dev.conduit.core.observe.EngineObserver.NONE, channel);
        return new Node(systems, tokens);
    }

    @AfterEach
    void tearDown() {
        releaseRequest.countDown();
        callers.shutdownNow();
        server.close();
    }

    /** The next token request waits at the server until {@link #releaseRequest}, then answers {@code response}. */
    private void holdNextTokenRequest(ScriptedResponse response) {
        server.path("/token").handle(request -> {
            requestArrived.countDown();
            await(releaseRequest);
            return response;
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test's other thread never got there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ConduitException failure(Future<?> call) throws InterruptedException {
        try {
            call.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ConduitException.class);
            return (ConduitException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the call did not finish", e);
        }
        throw new AssertionError("the call succeeded");
    }

    private void editSecretOn(Node node, String secret) {
        ConnectedSystem current = stored.get(NAME);
        node.systems().update(current.toBuilder().clientSecret(Secret.of(secret)).build());
        node.tokens().discard(NAME); // as SystemAdministration does after an edit of the credentials
    }

    @Test
    void accessTokenWhenTheSecretIsEditedDuringTheTokenRequestThenTheTokenIsNotKeptAndIsRevoked() throws Exception {
        holdNextTokenRequest(okToken("issued-to-the-old-secret", 3600));
        Future<AccessToken> call = callers.submit(() -> nodeB.tokens().accessToken(nodeB.system(NAME), APP));
        await(requestArrived);

        editSecretOn(nodeA, "rotated-secret");
        releaseRequest.countDown();

        assertThat(failure(call).code()).isEqualTo(ErrorCode.CONCURRENT_MODIFICATION);
        assertThat(store.load(new TokenKey(NAME, APP))).isEmpty();
        assertThat(revoked).containsExactly("issued-to-the-old-secret");
        server.path("/token").enqueue(okToken("issued-to-the-new-secret", 3600));
        assertThat(nodeB.tokens().accessToken(nodeB.system(NAME), APP).value().reveal())
                .isEqualTo("issued-to-the-new-secret");
        assertThat(server.requestCount("/token")).isEqualTo(2);
        assertThat(server.requests("/token").get(1).basicCredentials().orElseThrow().clientSecret())
                .isEqualTo("rotated-secret");
    }

    @Test
    void accessTokenWhenTheSystemIsDeletedDuringTheTokenRequestThenNothingIsStoredAndTheTokenIsRevoked()
            throws Exception {
        holdNextTokenRequest(okToken("issued-to-a-deleted-system", 3600));
        Future<AccessToken> call = callers.submit(() -> nodeB.tokens().accessToken(nodeB.system(NAME), APP));
        await(requestArrived);

        nodeA.systems().delete(NAME);
        nodeA.tokens().discard(NAME);
        releaseRequest.countDown();

        assertThat(failure(call).code()).isEqualTo(ErrorCode.CONCURRENT_MODIFICATION);
        assertThat(store.load(new TokenKey(NAME, APP))).isEmpty();
        assertThat(revoked).containsExactly("issued-to-a-deleted-system");
        assertThat(nodeB.systems().find(NAME)).isEmpty();
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void accessTokenWhenADescriptionIsEditedDuringTheTokenRequestThenTheTokenIsKept() throws Exception {
        holdNextTokenRequest(okToken("still-good", 3600));
        Future<AccessToken> call = callers.submit(() -> nodeB.tokens().accessToken(nodeB.system(NAME), APP));
        await(requestArrived);

        nodeA.systems().update(stored.get(NAME).toBuilder().description("a new description").build());
        releaseRequest.countDown();

        assertThat(call.get(30, TimeUnit.SECONDS).value().reveal()).isEqualTo("still-good");
        assertThat(store.load(new TokenKey(NAME, APP))).isPresent();
        assertThat(revoked).isEmpty();
        assertThat(nodeA.tokens().accessToken(nodeA.system(NAME), APP).value().reveal()).isEqualTo("still-good");
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void disconnectWhenARefreshIsRunningOnAnotherNodeThenItRevokesTheRefreshedTokensAndNoNodeServesThem()
            throws Exception {
        TokenKey key = new TokenKey(USER_SYSTEM, ALICE);
        Instant now = clock.instant();
        store.save(key, new TokenSet(Secret.of("at-1"), "Bearer", now.minusSeconds(600), now.minusSeconds(1),
                Secret.of("rt-1"), dev.conduit.api.system.Scope.parse("read")));
        holdNextTokenRequest(okToken("at-2", 3600, "rt-2"));
        Future<AccessToken> refresh = callers.submit(() -> nodeB.tokens().accessToken(nodeB.system(USER_SYSTEM), ALICE));
        await(requestArrived);

        Future<?> disconnect = callers.submit(() -> nodeA.tokens().disconnect(USER_SYSTEM, ALICE,
                tokens -> revoked.add(tokens.refreshToken().reveal())));
        releaseRequest.countDown();
        disconnect.get(30, TimeUnit.SECONDS);
        refresh.get(30, TimeUnit.SECONDS); // began before the disconnect: this one call gets what it waited for

        assertThat(revoked).containsExactly("rt-2");
        assertThat(store.load(key)).isEmpty();
        for (Node node : List.of(nodeA, nodeB)) {
            ConduitException e = failure(callers.submit(() -> node.tokens().accessToken(node.system(USER_SYSTEM),
                    ALICE)));
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED);
        }
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void disconnectWhenAnotherNodeHoldsTheUsersTokenInMemoryThenThatNodeForgetsIt() throws Exception {
        TokenKey key = new TokenKey(USER_SYSTEM, ALICE);
        Instant now = clock.instant();
        nodeB.tokens().accept(nodeB.system(USER_SYSTEM), ALICE, new TokenSet(Secret.of("at-1"), "Bearer", now,
                now.plusSeconds(3600), Secret.of("rt-1"), dev.conduit.api.system.Scope.parse("read")));
        assertThat(nodeB.tokens().accessToken(nodeB.system(USER_SYSTEM), ALICE).value().reveal()).isEqualTo("at-1");

        nodeA.tokens().disconnect(USER_SYSTEM, ALICE, tokens -> revoked.add(tokens.refreshToken().reveal()));

        assertThat(revoked).containsExactly("rt-1");
        assertThat(store.load(key)).isEmpty();
        ConduitException e = failure(callers.submit(() -> nodeB.tokens().accessToken(nodeB.system(USER_SYSTEM),
                ALICE)));
        assertThat(e.code()).isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED);
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void accessTokenWhenAnotherNodeEditedTheSecretThenThisNodeNeitherServesTheOldTokenNorUsesTheOldSecret() {
        server.path("/token").enqueue(okToken("issued-to-the-old-secret", 3600),
                okToken("issued-to-the-new-secret", 3600));
        assertThat(nodeB.tokens().accessToken(nodeB.system(NAME), APP).value().reveal())
                .isEqualTo("issued-to-the-old-secret");

        editSecretOn(nodeA, "rotated-secret");

        assertThat(nodeB.tokens().accessToken(nodeB.system(NAME), APP).value().reveal())
                .isEqualTo("issued-to-the-new-secret");
        List<RecordedRequest> requests = server.requests("/token");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).basicCredentials().orElseThrow().clientSecret()).isEqualTo("rotated-secret");
    }
}
