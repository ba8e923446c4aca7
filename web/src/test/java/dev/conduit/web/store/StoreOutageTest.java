package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The database is a dependency, not a verdict: a real PostgreSQL stopped and started again under load. Its own server
 * (data directory and port kept across the restart), since stopping the shared one would fail the other tests.
 */
class StoreOutageTest {

    private static final int USERS = 20;
    private static final int CALLERS = 8;

    @Test
    void accessTokenWhenPostgresStopsAndStartsUnderLoadThenStoreUnavailableNothingDisabledAndRecoveredWithin5s()
            throws Exception {
        Path data = Files.createTempDirectory("conduit-outage");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedPostgres postgres = start(data, port);
        String url = postgres.getJdbcUrl("postgres", "postgres");
        Migrations.migrate(postgres.getPostgresDatabase());
        List<Subject> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(Subject.user("user-" + i));
        }
        // tokens of two seconds: each is renewed about every second, so the load keeps reaching the database
        try (UserTokenLoad conduit = new UserTokenLoad(url, TestCiphers.fresh(), 10, Duration.ofSeconds(1),
                Duration.ofSeconds(2))) {
            users.forEach(conduit::expiredToken);
            Set<ErrorCode> failures = ConcurrentHashMap.newKeySet();
            AtomicInteger succeeded = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                int first = c;
                load.add(callers.submit(() -> {
                    for (int i = first; running.get(); i++) {
                        try {
                            conduit.service.accessToken(conduit.system, users.get(i % USERS));
                            succeeded.incrementAndGet();
                        } catch (ConduitException e) {
                            failures.add(e.code());
                        }
                        Thread.sleep(5);
                    }
                    return null;
                }));
            }
            // the load must have renewed every token at least once before the outage; on a busy machine that takes
            // longer than the two seconds it takes on an idle one
            long loadStarted = System.nanoTime();
            do {
                Thread.sleep(100);
            } while (conduit.refreshes.get() <= USERS
                    && System.nanoTime() - loadStarted < TimeUnit.SECONDS.toNanos(30));
            assertThat(failures).as("before the outage").isEmpty();
            assertThat(conduit.refreshes.get()).as("the load renews tokens").isGreaterThan(USERS);

            postgres.close();
            Thread.sleep(4_000);
            assertThat(failures).as("during the outage").containsExactly(ErrorCode.STORE_UNAVAILABLE);

            postgres = start(data, port);
            long restarted = System.nanoTime();
            Duration recovery = null;
            while (recovery == null && System.nanoTime() - restarted < TimeUnit.SECONDS.toNanos(30)) {
                try {
                    Subject fresh = Subject.user("after-restart");
                    conduit.expiredToken(fresh);
                    conduit.service.accessToken(conduit.system, fresh);
                    recovery = Duration.ofNanos(System.nanoTime() - restarted);
                } catch (ConduitException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                    Thread.sleep(50);
                }
            }
            running.set(false);
            for (Future<?> caller : load) {
                caller.get(30, TimeUnit.SECONDS);
            }
            callers.shutdown();
            System.out.println("StoreOutageTest: calls succeed again " + recovery.toMillis()
                    + " ms after PostgreSQL answers; " + succeeded.get() + " calls succeeded in all");

            assertThat(recovery).as("recovered without a restart of Conduit").isLessThan(Duration.ofSeconds(5));
            assertThat(failures).containsExactly(ErrorCode.STORE_UNAVAILABLE);
            assertThat(conduit.systems.status(UserTokenLoad.SYSTEM).isOk()).as("nothing disabled").isTrue();
            JdbcTokenStore afterwards = new JdbcTokenStore(postgres.getPostgresDatabase(), conduit.cipher,
                    java.time.Clock.systemUTC());
            for (Subject user : users) {
                assertThat(afterwards.load(new TokenKey(UserTokenLoad.SYSTEM, user))).as("nothing lost: " + user)
                        .isPresent();
            }
            assertThat(conduit.service.accessToken(conduit.system, users.get(0))).isNotNull();
        } finally {
            postgres.close();
        }
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }
}
