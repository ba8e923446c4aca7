package dev.conduit.web.store;

import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.invalidation.Invalidation;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.observe.EngineObserver;
import dev.conduit.core.store.CachingSystemRepository;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.core.testing.UserRefreshGrant;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Conduit engines on one real PostgreSQL, each with its own connections, its own system cache and token cache and
 * its own LISTEN connection, as two servers: what one changes, the other forgets as soon as the notification arrives.
 * Each test waits for that notification to be heard (up to 30 s on a loaded machine), never for a fixed time.
 */
class PostgresInvalidationTest {

    private static final String NAME = TestSystems.SYSTEM_NAME;
    private static final String USER_SYSTEM = "per-user";
    private static final Subject APP = Subject.application();
    private static final Subject ALICE = Subject.user("alice");

    private static TestDatabases.PostgresDatabase postgres;

    private final Clock clock = Clock.systemUTC();
    private final SecretCipher cipher = TestCiphers.fresh();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private HostileTokenServer server;
    private Node nodeA;
    private Node nodeB;

    @BeforeAll
    static void createDatabase() {
        postgres = TestDatabases.postgres();
    }

    /** One server: its own pool, listener, caches and engine. */
    private record Node(PostgresInvalidations invalidations, CachingSystemRepository systems, TokenService tokens,
            BlockingQueue<Invalidation> heard) {

        ConnectedSystem system(String name) {
            return systems.get(name);
        }

        /** Waits until this node heard {@code expected} (an invalidation another node published). */
        void awaitHeard(Invalidation expected) throws InterruptedException {
            while (true) {
                Invalidation next = heard.poll(30, TimeUnit.SECONDS);
                assertThat(next).as("no notification within 30 s, waiting for " + expected).isNotNull();
                if (next.equals(expected)) {
                    return;
                }
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        TestDatabases.clear(postgres.newDataSource());
        server = HostileTokenServer.start();
        closing.add(server);
        nodeA = node();
        nodeB = node();
        nodeA.systems().create(TestSystems.clientCredentials(server).build());
        nodeA.systems().create(TestSystems.clientCredentials(server).name(USER_SYSTEM)
                .grantType(UserRefreshGrant.TYPE).build());
        nodeB.awaitHeard(Invalidation.ofSystem(USER_SYSTEM));
        nodeA.heard().clear();
        nodeB.heard().clear();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable resource : closing) {
            resource.close();
        }
    }

    private Node node() throws InterruptedException {
        DataSource pool = postgres.newDataSource();
        PostgresInvalidations invalidations = PostgresInvalidations.start(pool);
        closing.add(invalidations);
        // a system cache far longer than the test: only a notification can make this node read a system again
        CachingSystemRepository systems = new CachingSystemRepository(
                new JdbcConnectedSystemRepository(pool, cipher, clock), clock, Duration.ofHours(1), invalidations);
        TokenService tokens = new TokenService(systems, new JdbcTokenStore(pool, cipher, clock),
                GrantRegistry.of(new ClientCredentialsGrant(), new UserRefreshGrant()),
                new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), TestSystems.answeringSettings(), clock),
                clock, wait -> { }, TokenService.DEFAULT_RENEWAL_WINDOW, EngineObserver.NONE, invalidations);
        // listeners hear in the order they subscribed: the test's queue last, so that when the test hears an
        // invalidation, the system cache and the token cache have already forgotten what it names
        BlockingQueue<Invalidation> heard = new LinkedBlockingQueue<>();
        invalidations.subscribe(heard::add);
        awaitListening(invalidations);
        return new Node(invalidations, systems, tokens, heard);
    }

    private static void awaitListening(PostgresInvalidations invalidations) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!invalidations.isListening()) {
            assertThat(System.nanoTime()).as("not listening after 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void updateWhenTheSecretIsEditedOnAThenBForgetsItsTokenAndItsCopyAndUsesTheNewSecret() throws Exception {
        server.path("/token").enqueue(okToken("issued-to-the-old-secret", 3600), okToken("issued-to-the-new-secret",
                3600));
        assertThat(nodeB.tokens().accessToken(nodeB.system(NAME), APP).value().reveal())
                .isEqualTo("issued-to-the-old-secret");

        ConnectedSystem edited = nodeA.systems().update(nodeA.system(NAME).toBuilder()
                .clientSecret(Secret.of("rotated-secret")).build());
        nodeA.tokens().discard(NAME); // as SystemAdministration does after an edit of the credentials
        nodeB.awaitHeard(Invalidation.ofSystem(NAME));
        nodeB.awaitHeard(Invalidation.ofSystem(NAME));

        assertThat(nodeB.system(NAME).version()).isEqualTo(edited.version());
        assertThat(nodeB.tokens().accessToken(nodeB.system(NAME), APP).value().reveal())
                .isEqualTo("issued-to-the-new-secret");
        assertThat(server.requestCount("/token")).isEqualTo(2);
        assertThat(server.requests("/token").get(1).basicCredentials().orElseThrow().clientSecret())
                .isEqualTo("rotated-secret");
    }

    @Test
    void disconnectWhenAliceDisconnectsOnAThenBAnswersAuthorizationRequiredWithoutATokenRequest() throws Exception {
        Instant now = clock.instant();
        nodeB.tokens().accept(nodeB.system(USER_SYSTEM), ALICE, new TokenSet(Secret.of("at-1"), "Bearer", now,
                now.plusSeconds(3600), Secret.of("rt-1"), Scope.parse("read")));
        assertThat(nodeB.tokens().accessToken(nodeB.system(USER_SYSTEM), ALICE).value().reveal()).isEqualTo("at-1");
        List<String> revoked = new ArrayList<>();

        nodeA.tokens().disconnect(USER_SYSTEM, ALICE, tokens -> revoked.add(tokens.refreshToken().reveal()));
        nodeB.awaitHeard(Invalidation.ofSubject(USER_SYSTEM, ALICE));

        assertThat(revoked).containsExactly("rt-1");
        assertThatThrownBy(() -> nodeB.tokens().accessToken(nodeB.system(USER_SYSTEM), ALICE))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED));
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void deleteWhenTheSystemIsDeletedOnAThenBNoLongerFindsItNorServesItsToken() throws Exception {
        server.path("/token").enqueue(okToken("of-a-deleted-system", 3600));
        nodeB.tokens().accessToken(nodeB.system(NAME), APP);

        assertThat(nodeA.systems().delete(NAME)).isTrue();
        nodeA.tokens().discard(NAME);
        nodeB.awaitHeard(Invalidation.ofSystem(NAME));
        nodeB.awaitHeard(Invalidation.ofSystem(NAME));

        assertThat(nodeB.systems().find(NAME)).isEmpty();
        assertThat(new JdbcTokenStore(postgres.newDataSource(), cipher, clock).load(new TokenKey(NAME, APP))).isEmpty();
        assertThat(server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void publishWhenAServerPublishesThenOnlyTheOthersHearItFromTheDatabaseAndItselfOnce() throws Exception {
        nodeA.invalidations().publish(Invalidation.ofSubject(NAME, APP));

        nodeB.awaitHeard(Invalidation.ofSubject(NAME, APP));
        assertThat(nodeA.heard().poll()).isEqualTo(Invalidation.ofSubject(NAME, APP));
        // a round trip through the database: had A heard its own notification again, it would be queued behind this
        nodeB.invalidations().publish(Invalidation.ofSystem("marker"));
        nodeA.awaitHeard(Invalidation.ofSystem("marker"));
        assertThat(nodeA.heard()).isEmpty();
    }

    @Test
    void listenWhenTheListeningConnectionIsKilledThenItListensAgainAndForgetsEverything() throws Exception {
        server.path("/token").enqueue(okToken("held-in-memory", 3600), okToken("read-again", 3600));
        nodeB.tokens().accessToken(nodeB.system(NAME), APP);

        terminateEveryOtherSession();
        nodeB.awaitHeard(Invalidation.everything());
        awaitListening(nodeB.invalidations());

        // the store still has the token: B reads it again rather than serve it from memory or request a new one
        assertThat(nodeB.tokens().accessToken(nodeB.system(NAME), APP).value().reveal()).isEqualTo("held-in-memory");
        assertThat(server.requestCount("/token")).isEqualTo(1);
        nodeA.tokens().discard(NAME);
        nodeB.awaitHeard(Invalidation.ofSystem(NAME));
        assertThat(nodeB.tokens().accessToken(nodeB.system(NAME), APP).value().reveal()).isEqualTo("read-again");
    }

    /** As a database restart does to every server's connections. */
    private static void terminateEveryOtherSession() throws SQLException {
        try (Connection connection = postgres.newDataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }
    }
}
