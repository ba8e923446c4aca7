package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.conduit.UserAuthorization;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.KeycloakApi;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import dev.conduit.it.proxy.RecordingProxy.Exchange;
import dev.conduit.it.proxy.RecordingProxy.Hold;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Conduit servers from the same WAR on one PostgreSQL (embedded, real binaries), Keycloak behind the recording
 * proxy: one token request per expiry across both servers, and what one server changes (a disconnect, a rotated secret)
 * the other stops using within a second. Each scenario asserts its counts at the proxy.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClusterIT {

    private static final String NODE_A = "liberty-node-a";
    private static final String NODE_B = "liberty-node-b";
    private static final String CLUSTER_CLIENT = "conduit-cluster";
    /** Keycloak's lifespan of conduit-cluster's tokens: Conduit renews them at half of it. */
    private static final Duration CLUSTER_TOKEN_LIFESPAN = Duration.ofSeconds(20);
    /** When Conduit renews conduit-web's 15 s tokens: at half their lifetime. */
    private static final Duration WEB_TOKEN_RENEWAL = Duration.ofMillis(7_500);
    /** The bound for another server to stop using what one server changed. */
    private static final Duration WITHIN = Duration.ofSeconds(1);

    /** How long a token's lease lasts on both servers ({@code conduit.tokens.lease-seconds}, it/pom.xml). */
    private static final Duration LEASE = Duration.ofSeconds(Integer.getInteger("it.cluster.lease.seconds", 6));
    /** The bound for both servers to serve again once PostgreSQL is back. */
    private static final Duration RECOVERY = Duration.ofSeconds(5);

    /** Kept across a restart of PostgreSQL (scenario of the outage): its data directory and port stay. */
    private static Path postgresData;
    private static volatile EmbeddedPostgres postgres;
    private static RecordingProxy keycloak;
    private static ContainerController started;

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    private final ConduitApi adminA = ConduitApi.admin(url("a", 9083));
    private final ConduitApi adminB = ConduitApi.admin(url("b", 9084));
    private final ConduitApi aliceA = ConduitApi.alice(url("a", 9083));
    private final ConduitApi aliceB = ConduitApi.alice(url("b", 9084));

    @Deployment(name = NODE_A, managed = false, testable = false)
    @TargetsContainer(NODE_A)
    static WebArchive nodeA() {
        return ConduitDeployment.war();
    }

    @Deployment(name = NODE_B, managed = false, testable = false)
    @TargetsContainer(NODE_B)
    static WebArchive nodeB() {
        return ConduitDeployment.war();
    }

    private static String url(String node, int defaultPort) {
        return System.getProperty("conduit.node-" + node + ".url", "http://localhost:" + defaultPort);
    }

    /** The database both servers use; it must answer before they start. */
    @BeforeAll
    static void startPostgresAndTheProxy() throws Exception {
        // under target/, fresh for each run
        postgresData = Path.of(System.getProperty("failsafe.reports.dir", "target/failsafe-reports"))
                .resolveSibling("cluster-postgres");
        deleteTree(postgresData);
        Files.createDirectories(postgresData);
        startPostgres();
        Runtime.getRuntime().addShutdownHook(new Thread(ClusterIT::stopPostgres));
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE conduit");
        }
        keycloak = RecordingProxy.start(Keycloak.server().baseUri());
    }

    /** Starts PostgreSQL on the data directory of the previous start, if any, and on the same port. */
    private static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setPort(Integer.getInteger("it.postgres.port", 9085))
                .setDataDirectory(postgresData).setCleanDataDirectory(false).start();
    }

    /** Stops PostgreSQL (a fast shutdown: open sessions are ended), keeping its data directory. */
    private static void stopPostgres() {
        EmbeddedPostgres running = postgres;
        postgres = null;
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop PostgreSQL", e);
            }
        }
    }

    @BeforeEach
    void startBothServers() {
        if (started == null) {
            controller.start(NODE_A);
            controller.start(NODE_B);
            started = controller;
            deployer.deploy(NODE_A);
            deployer.deploy(NODE_B);
        }
        keycloak.clear();
    }

    /**
     * Arquillian stops both servers when the test run ends; the database goes last, at the JVM's exit, so that neither
     * server loses it while it still runs.
     */
    @AfterAll
    static void closeTheProxy() {
        keycloak.close();
    }

    @Test
    void invokeWhenTheTokenExpiresUnderABurstOnBothServersThenOneTokenRequestInTotalAndEveryCallSucceeds()
            throws Exception {
        String name = TestSystems.uniqueName("cluster-burst");
        Response created = adminA.createSystem(clusterSystem(name, clusterSecret()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(keycloak.count(Exchange::isTokenRequest)).as("the save's token test").isEqualTo(1);
        // both servers renew the token at half its lifetime: wait until then, then call 200 times at once
        Thread.sleep(CLUSTER_TOKEN_LIFESPAN.dividedBy(2).plusMillis(500).toMillis());
        keycloak.clear();

        for (Response answer : concurrently(200, i -> (i % 2 == 0 ? adminA : adminB)
                .invokeGet(name, "users", Map.of("max", "1")))) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().get("status").asInt()).as(answer.toString()).isEqualTo(200);
        }

        List<Exchange> tokenRequests = keycloak.exchanges(Exchange::isTokenRequest);
        assertThat(tokenRequests).as("token requests of both servers together").hasSize(1);
        String renewed = tokenRequests.get(0).answer("access_token").orElseThrow();
        assertThat(keycloak.exchanges(e -> e.path().contains("/users")))
                .hasSize(200).allSatisfy(e -> assertThat(e.bearerToken()).contains(renewed));
    }

    @Test
    void invokeWhenAlicesTokenExpiresUnderCallsOnBothServersThenOneRefreshPerExpiryAndNoInvalidGrant()
            throws Exception {
        String name = TestSystems.uniqueName("cluster-rotation");
        Response created = adminA.createSystem(TestSystems.authorizationCode(name, keycloak));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UserAuthorization.authorize(aliceA, name, RealmClients.ALICE, RealmClients.ALICE_PASSWORD);

        // conduit-web's tokens live 15 s, renewed at half that; its refresh tokens are single-use (rotation)
        for (int expiry = 1; expiry <= 4; expiry++) {
            Thread.sleep(WEB_TOKEN_RENEWAL.plusMillis(500).toMillis());
            keycloak.clear();
            int calls = expiry == 1 ? 50 : 10;
            for (Response answer : concurrently(calls, i -> (i % 2 == 0 ? aliceA : aliceB)
                    .invokeGet(name, "userinfo", Map.of()))) {
                assertThat(answer.status()).as("expiry %d: %s", expiry, answer).isEqualTo(200);
                assertThat(answer.json().get("status").asInt()).as("expiry %d: %s", expiry, answer).isEqualTo(200);
            }
            List<Exchange> refreshes = keycloak.exchanges(e -> e.isTokenRequest("refresh_token"));
            assertThat(refreshes).as("refresh requests of both servers at expiry %d", expiry).hasSize(1);
            assertThat(refreshes.get(0).status()).as("expiry %d: no invalid_grant", expiry).isEqualTo(200);
        }
        assertThat(aliceB.authorization(name).json().get("status").asText()).isEqualTo("AUTHORIZED");
    }

    @Test
    void disconnectWhenAliceDisconnectsOnAThenBAnswersAuthorizationRequiredWithinASecondWithoutTheOldToken()
            throws Exception {
        String name = TestSystems.uniqueName("cluster-user");
        Response created = adminA.createSystem(TestSystems.authorizationCode(name, keycloak));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UserAuthorization.authorize(aliceA, name, RealmClients.ALICE, RealmClients.ALICE_PASSWORD);
        Response onB = aliceB.invokeGet(name, "userinfo", Map.of());
        assertThat(onB.json().get("status").asInt()).as(onB.toString()).isEqualTo(200);
        String held = lastBearer("/userinfo");

        Response disconnected = aliceA.disconnect(name);
        assertThat(disconnected.status()).as(disconnected.toString()).isIn(200, 204);
        long disconnectedAt = System.nanoTime();
        keycloak.clear();

        Timed refused = awaitOnB(disconnectedAt, () -> aliceB.invokeGet(name, "userinfo", Map.of()),
                answer -> answer.status() == 403 && "AUTHORIZATION_REQUIRED".equals(code(answer)));
        assertThat(refused.answer().json().has("authorizationLink")).as(refused.answer().toString()).isTrue();
        assertThat(refused.sentAfterMillis()).as("B's refusing call was sent %d ms after the disconnect",
                refused.sentAfterMillis()).isLessThanOrEqualTo(WITHIN.toMillis());
        assertThat(keycloak.count(e -> e.bearerToken().equals(Optional.of(held))))
                .as("requests with the token of before the disconnect").isZero();
        assertThat(keycloak.count(Exchange::isTokenRequest)).isZero();
        assertThat(KeycloakApi.introspect(held).get("active").asBoolean()).isFalse();
    }

    @Test
    void updateWhenTheSecretIsRotatedOnAThenBsNextCallUsesATokenOfTheNewSecretWithinASecond() throws Exception {
        String name = TestSystems.uniqueName("cluster-secret");
        Response created = adminA.createSystem(clusterSystem(name, clusterSecret()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Response first = adminB.invokeGet(name, "users", Map.of("max", "1"));
        assertThat(first.json().get("status").asInt()).as(first.toString()).isEqualTo(200);
        String before = lastBearer("/users");

        String rotated = rotateClusterSecret();
        keycloak.clear();
        Map<String, Object> edited = clusterSystem(name, rotated);
        edited.put("version", adminA.system(name).json().get("version").asLong());
        Response update = adminA.updateSystem(name, edited);
        assertThat(update.status()).as(update.toString()).isEqualTo(200);
        long editedAt = System.nanoTime();

        Timed next = awaitOnB(editedAt, () -> adminB.invokeGet(name, "users", Map.of("max", "1")),
                answer -> answer.status() == 200 && !before.equals(lastBearer("/users")));
        assertThat(next.answer().json().get("status").asInt()).as(next.answer().toString()).isEqualTo(200);
        assertThat(next.sentAfterMillis()).as("B's call with the new token was sent %d ms after the edit",
                next.sentAfterMillis()).isLessThanOrEqualTo(WITHIN.toMillis());
        List<Exchange> tokenRequests = keycloak.exchanges(Exchange::isTokenRequest);
        assertThat(tokenRequests).as("the edit's token test on A; B reads that token from the database").hasSize(1);
        assertThat(clientSecretOf(tokenRequests.get(0))).isEqualTo(rotated);
        assertThat(lastBearer("/users")).isEqualTo(tokenRequests.get(0).answer("access_token").orElseThrow());
        assertThat(keycloak.count(e -> e.bearerToken().equals(Optional.of(before))))
                .as("calls with the token of before the edit").isZero();
    }

    @Test
    void invokeWhenAIsKilledWhileItsRefreshIsHeldThenBRefreshesWithTheSameRefreshTokenAfterTheLeaseAndARestartedAServes()
            throws Exception {
        String name = TestSystems.uniqueName("cluster-kill");
        Response created = adminA.createSystem(TestSystems.authorizationCode(name, keycloak));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UserAuthorization.authorize(aliceA, name, RealmClients.ALICE, RealmClients.ALICE_PASSWORD);

        // A's refresh at the renewal point reaches the proxy and stays there: A holds the token's lease meanwhile
        Hold held = keycloak.holdNextTokenRequest("refresh_token");
        Thread.sleep(WEB_TOKEN_RENEWAL.plusMillis(500).toMillis());
        keycloak.clear();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        boolean killed = false;
        try {
            Future<Response> onA = caller.submit(() -> aliceA.invokeGet(name, "userinfo", Map.of()));
            String refreshToken = held.awaitArrival(Duration.ofSeconds(60)).get("refresh_token");
            Instant leaseEnds = leaseOfAlice(name).orElseThrow(() -> new AssertionError("A holds no lease"));

            controller.kill(NODE_A);
            killed = true;
            long killedAt = System.nanoTime();
            held.drop();
            assertThatThrownBy(() -> onA.get(60, TimeUnit.SECONDS)).as("A's caller lost its server")
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UncheckedIOException.class);

            Response onB = aliceB.invokeGet(name, "userinfo", Map.of());
            long answeredAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertThat(onB.status()).as(onB.toString()).isEqualTo(200);
            assertThat(onB.json().get("status").asInt()).as(onB.toString()).isEqualTo(200);
            // B waited for A's lease to end, then made one refresh with the refresh token A never got to use
            assertThat(Instant.now()).as("B answered after A's lease ended").isAfter(leaseEnds);
            assertThat(answeredAfterMillis).as("B answered %d ms after the kill", answeredAfterMillis)
                    .isLessThanOrEqualTo(LEASE.plusSeconds(5).toMillis());
            List<Exchange> refreshes = keycloak.exchanges(e -> e.isTokenRequest("refresh_token"));
            assertThat(refreshes).as("token requests that reached Keycloak: B's only").hasSize(1);
            assertThat(keycloak.count(Exchange::isTokenRequest)).isEqualTo(1);
            assertThat(refreshes.get(0).form().get("refresh_token")).as("the refresh token A held")
                    .isEqualTo(refreshToken);
            assertThat(refreshes.get(0).status()).as("no invalid_grant").isEqualTo(200);
            String renewed = refreshes.get(0).answer("access_token").orElseThrow();
            assertThat(lastBearer("/userinfo")).isEqualTo(renewed);
            assertThat(leaseOfAlice(name)).as("B released the lease").isEmpty();

            // A comes back as it was deployed and serves alice with what B stored: B's token, or (when the restart
            // outlasted that token's renewal point) one refresh with B's refresh token
            controller.start(NODE_A);
            killed = false;
            awaitAnswers(adminA);
            keycloak.clear();
            Response again = aliceA.invokeGet(name, "userinfo", Map.of());
            assertThat(again.json().get("status").asInt()).as(again.toString()).isEqualTo(200);
            List<Exchange> afterRestart = keycloak.exchanges(Exchange::isTokenRequest);
            assertThat(afterRestart).as("token requests of the restarted A").hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(e -> {
                        assertThat(e.form().get("grant_type")).isEqualTo("refresh_token");
                        assertThat(e.form().get("refresh_token")).as("B's refresh token")
                                .isEqualTo(refreshes.get(0).answer("refresh_token").orElseThrow());
                        assertThat(e.status()).isEqualTo(200);
                    });
            assertThat(lastBearer("/userinfo")).isEqualTo(afterRestart.isEmpty() ? renewed
                    : afterRestart.get(0).answer("access_token").orElseThrow());
            assertThat(aliceA.authorization(name).json().get("status").asText()).isEqualTo("AUTHORIZED");
        } finally {
            held.drop();
            caller.shutdownNow();
            if (killed) {
                controller.start(NODE_A);
                awaitAnswers(adminA);
            }
        }
    }

    @Test
    void invokeWhenPostgresRestartsUnderCallsOnBothServersThenStoreUnavailableMeanwhileAndBothServeWithinFiveSeconds()
            throws Exception {
        String name = TestSystems.uniqueName("cluster-outage");
        Response created = adminA.createSystem(clusterSystem(name, clusterSecret()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long createdAt = System.nanoTime();
        for (ConduitApi node : List.of(adminA, adminB)) {
            Response warm = node.invokeGet(name, "users", Map.of("max", "1"));
            assertThat(warm.json().get("status").asInt()).as(warm.toString()).isEqualTo(200);
        }
        keycloak.clear();

        // two callers per server; the token (20 s) is due for renewal at 10 s, within the outage
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            ConduitApi node = i % 2 == 0 ? adminA : adminB;
            callers.submit(() -> callUntilStopped(node, name, stop, calls));
        }
        long stopAt = createdAt + CLUSTER_TOKEN_LIFESPAN.dividedBy(2).minusSeconds(2).toNanos();
        Thread.sleep(Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(stopAt - System.nanoTime())));
        long stopping = System.nanoTime();
        stopPostgres();
        long stopped = System.nanoTime();
        // longer than the system cache (2 s): calls need the database during the outage
        Thread.sleep(4_000);
        long tokenRequestsDuringOutage = keycloak.count(Exchange::isTokenRequest);
        long restarting = System.nanoTime();
        startPostgres();
        long restarted = System.nanoTime();
        long deadline = restarted + TimeUnit.SECONDS.toNanos(15);
        while (!(servedSince(calls, adminA, restarted) && servedSince(calls, adminB, restarted))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(1_000);
        stop.set(true);
        callers.shutdown();
        assertThat(callers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

        List<Call> all = List.copyOf(calls);
        assertThat(all).as("no call failed other than with STORE_UNAVAILABLE")
                .allSatisfy(c -> assertThat(c.served() || c.storeUnavailable()).as(c.toString()).isTrue());
        for (ConduitApi node : List.of(adminA, adminB)) {
            List<Call> mine = all.stream().filter(c -> c.node().equals(node.base())).toList();
            assertThat(mine).as("%s before the outage", node.base())
                    .anyMatch(c -> c.answeredAt() < stopping && c.served());
            assertThat(mine).as("%s during the outage", node.base())
                    .anyMatch(c -> c.sentAt() > stopped && c.answeredAt() < restarting && c.storeUnavailable());
            Call first = mine.stream().filter(c -> c.sentAt() > restarted && c.served())
                    .min(Comparator.comparingLong(Call::answeredAt))
                    .orElseThrow(() -> new AssertionError(node.base() + " never served after the restart"));
            long recoveredMillis = TimeUnit.NANOSECONDS.toMillis(first.answeredAt() - restarted);
            assertThat(recoveredMillis).as("%s served again %d ms after PostgreSQL was back", node.base(),
                    recoveredMillis).isLessThanOrEqualTo(RECOVERY.toMillis());
            assertThat(mine).as("%s after recovering", node.base())
                    .filteredOn(c -> c.sentAt() > first.answeredAt()).isNotEmpty().allMatch(Call::served);
            Response system = node.system(name);
            assertThat(system.json().get("status").asText()).as("not disabled on %s: %s", node.base(), system)
                    .isEqualTo("OK");
        }
        assertThat(tokenRequestsDuringOutage).as("token requests while the database was away (no lease)").isZero();
        List<Exchange> tokenRequests = keycloak.exchanges(Exchange::isTokenRequest);
        assertThat(tokenRequests).as("the one renewal, once the database was back, of both servers together")
                .hasSize(1).allMatch(e -> e.status() == 200);
        assertThat(keycloak.count(e -> e.path().contains("/users")))
                .as("calls that reached Keycloak: one per served call").isEqualTo(all.stream().filter(Call::served).count());
    }

    /** One integration call of the outage scenario: which server, when sent and answered, and how. */
    private record Call(String node, long sentAt, long answeredAt, int status, String code) {

        boolean served() {
            return status == 200;
        }

        boolean storeUnavailable() {
            return status == 503 && "STORE_UNAVAILABLE".equals(code);
        }
    }

    private static void callUntilStopped(ConduitApi node, String name, AtomicBoolean stop, List<Call> calls) {
        while (!stop.get()) {
            long sentAt = System.nanoTime();
            Call call;
            try {
                Response answer = node.invokeGet(name, "users", Map.of("max", "1"));
                int status = answer.status() == 200 ? answer.json().get("status").asInt() == 200 ? 200 : -2
                        : answer.status();
                call = new Call(node.base(), sentAt, System.nanoTime(), status, code(answer));
            } catch (RuntimeException e) {
                call = new Call(node.base(), sentAt, System.nanoTime(), -1, e.getClass().getSimpleName());
            }
            calls.add(call);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean servedSince(List<Call> calls, ConduitApi node, long since) {
        synchronized (calls) {
            return calls.stream().anyMatch(c -> c.node().equals(node.base()) && c.sentAt() > since && c.served());
        }
    }

    /** When the lease on alice's token row of the system ends, if the row is leased. */
    private static Optional<Instant> leaseOfAlice(String system) throws SQLException {
        try (Connection connection = postgres.getDatabase("postgres", "conduit").getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT lease_owner, lease_until FROM"
                        + " conduit_token WHERE system_name = ? AND subject_kind = 'USER'")) {
            select.setString(1, system);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("alice's token row").isTrue();
                return row.getString("lease_owner") == null ? Optional.empty()
                        : Optional.of(row.getTimestamp("lease_until").toInstant());
            }
        }
    }

    /** Waits until a server that was started again answers (its application starts with it). */
    private static void awaitAnswers(ConduitApi node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            try {
                if (node.get("/api/connected-systems").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(node.base() + " did not answer after its restart");
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {@code count} calls at once (at most 40 in flight); their answers in order. */
    private static List<Response> concurrently(int count, java.util.function.IntFunction<Response> call)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(Math.min(count, 40));
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                calls.add(callers.submit(() -> call.apply(index)));
            }
            List<Response> answers = new ArrayList<>();
            for (Future<Response> answer : calls) {
                answers.add(answer.get(120, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            callers.shutdownNow();
        }
    }

    /** An answer, and how long after the change its call was sent. */
    private record Timed(Response answer, long sentAfterMillis) {
    }

    /**
     * Calls B until {@code done} holds for its answer, for at most 10 s; how long after {@code changedAtNanos} the
     * successful call was sent. Every call that B answered with the old token meanwhile shows at the proxy, which the
     * scenarios count: a slow machine makes the calls slower, not the count wrong.
     */
    private static Timed awaitOnB(long changedAtNanos, java.util.function.Supplier<Response> call,
            java.util.function.Predicate<Response> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long sentAt = System.nanoTime();
            Response answer = call.get();
            if (done.test(answer) || System.nanoTime() > deadline) {
                return new Timed(answer, TimeUnit.NANOSECONDS.toMillis(sentAt - changedAtNanos));
            }
            Thread.sleep(20);
        }
    }

    /** The problem's {@code code}; "" for an answer without one, or that is not JSON. */
    private static String code(Response answer) {
        try {
            return answer.json() != null && answer.json().has("code") ? answer.json().get("code").asText() : "";
        } catch (AssertionError notJson) {
            return "";
        }
    }

    /** The bearer token of the last request to a path containing {@code path}. */
    private static String lastBearer(String path) {
        List<Exchange> calls = keycloak.exchanges(e -> e.path().contains(path));
        assertThat(calls).as("calls to " + path).isNotEmpty();
        return calls.get(calls.size() - 1).bearerToken().orElseThrow();
    }

    /** A client-credentials system as conduit-cluster, calling Keycloak's admin API (role view-users). */
    private static Map<String, Object> clusterSystem(String name, String secret) {
        Map<String, Object> system = TestSystems.clientCredentials(name, keycloak, secret, "");
        system.put("clientId", CLUSTER_CLIENT);
        system.remove("scope");
        return system;
    }

    private static String clusterClientId() {
        return KeycloakApi.adminGet("/clients?clientId=" + CLUSTER_CLIENT).get(0).get("id").asText();
    }

    /** conduit-cluster's current secret at Keycloak (a scenario may have rotated it). */
    private static String clusterSecret() {
        return KeycloakApi.adminGet("/clients/" + clusterClientId() + "/client-secret").get("value").asText();
    }

    /** Has Keycloak generate a new secret for conduit-cluster; the old one stops working at once. */
    private static String rotateClusterSecret() {
        String before = clusterSecret();
        KeycloakApi.adminPost("/clients/" + clusterClientId() + "/client-secret");
        String after = clusterSecret();
        assertThat(after).isNotEqualTo(before);
        return after;
    }

    /** The client secret a token request sent (client_secret_basic: RFC 6749 section 2.3.1, form-encoded). */
    private static String clientSecretOf(Exchange tokenRequest) {
        String basic = tokenRequest.authorization().substring("Basic ".length()).trim();
        String pair = new String(Base64.getDecoder().decode(basic), StandardCharsets.UTF_8);
        return java.net.URLDecoder.decode(pair.substring(pair.indexOf(':') + 1), StandardCharsets.UTF_8);
    }
}
