package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.token.Subject;
import dev.conduit.core.lifecycle.AccessToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A slow provider and a burst of expiries do not exhaust a small pool, since no connection is held while a token
 * request is out: 500 users' tokens expire at once, the token endpoint answers after 200 ms, the pool has 5
 * connections. The time to drain is printed for the record, not asserted: speed is measured in benchmarks.
 */
class PoolDrainTest {

    private static final int USERS = 500;

    @Test
    void accessTokenWhen500UsersExpireAtOnceOnAPoolOf5ThenEveryCallSucceedsAndNothingIsDisabled() throws Exception {
        TestDatabases.PostgresDatabase postgres = TestDatabases.postgres();
        try (UserTokenLoad conduit = new UserTokenLoad(postgres.jdbcUrl(), TestCiphers.fresh(), 5,
                Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(200))) {
            List<Subject> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                users.add(Subject.user("user-" + i));
                conduit.expiredToken(users.get(i));
            }
            ExecutorService callers = Executors.newFixedThreadPool(USERS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<AccessToken>> calls = new ArrayList<>();
            for (Subject user : users) {
                calls.add(callers.submit(() -> {
                    start.await();
                    return conduit.service.accessToken(conduit.system, user);
                }));
            }

            long started = System.nanoTime();
            start.countDown();
            Set<String> tokens = new HashSet<>();
            for (Future<AccessToken> call : calls) {
                tokens.add(call.get(2, TimeUnit.MINUTES).value().reveal());
            }
            Duration drained = Duration.ofNanos(System.nanoTime() - started);
            callers.shutdown();
            System.out.println("PoolDrainTest: " + USERS + " expired users on a pool of 5 against a 200 ms token"
                    + " endpoint drained in " + drained.toMillis() + " ms");

            assertThat(tokens).as("every user got a new token of their own").hasSize(USERS)
                    .allSatisfy(token -> assertThat(token).doesNotEndWith("-0"));
            assertThat(conduit.refreshes.get()).as("one token request per user").isEqualTo(USERS);
            assertThat(conduit.systems.status(UserTokenLoad.SYSTEM).isOk()).isTrue();
            assertThat(conduit.pool.getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(5);
        }
    }
}
