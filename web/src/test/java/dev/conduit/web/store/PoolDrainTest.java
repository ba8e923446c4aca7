package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.token.Subject;
import dev.conduit.core.endpoint.HttpSettings;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A slow provider and a burst of expiries do not exhaust a small pool, since no connection is held while a token
 * request is out: 500 users' tokens expire at once, the pool has 5 connections, and the token endpoint answers no one
 * until all 500 token requests are out at once. Were a connection held across a token request, at most 5 could be out
 * and the endpoint would never answer.
 *
 * <p>Nothing here races the clock: every timeout (the pool's wait, the token request's, the lease, the endpoint's hold)
 * is minutes, far beyond what 500 requests take on a loaded machine, so only a broken pool discipline can reach one.
 */
class PoolDrainTest {

    private static final int USERS = 500;
    private static final int POOL_SIZE = 5;
    /** How long the endpoint holds answers back for the others: reached only when requests cannot all be out. */
    private static final Duration HOLD_LIMIT = Duration.ofMinutes(2);

    @Test
    void accessTokenWhen500UsersExpireAtOnceOnAPoolOf5ThenAllTokenRequestsAreOutAtOnceAndEveryCallSucceeds()
            throws Exception {
        TestDatabases.PostgresDatabase postgres = TestDatabases.postgres();
        HttpSettings patient = new HttpSettings(Duration.ofMinutes(1), HOLD_LIMIT.plusMinutes(1));
        try (UserTokenLoad conduit = new UserTokenLoad(postgres.jdbcUrl(), TestCiphers.fresh(), POOL_SIZE,
                HOLD_LIMIT, Duration.ofHours(1), patient, HOLD_LIMIT.plusMinutes(2))) {
            List<Subject> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                users.add(Subject.user("user-" + i));
                conduit.expiredToken(users.get(i));
            }
            CountDownLatch allOut = new CountDownLatch(USERS);
            AtomicInteger mostOutAtOnce = new AtomicInteger();
            AtomicInteger out = new AtomicInteger();
            AtomicBoolean heldTooLong = new AtomicBoolean();
            conduit.server.beforeEachAnswer(request -> {
                mostOutAtOnce.accumulateAndGet(out.incrementAndGet(), Math::max);
                allOut.countDown();
                try {
                    if (!allOut.await(HOLD_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        heldTooLong.set(true); // answer all the same, so that the test ends and says so
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.decrementAndGet();
            });
            ExecutorService callers = Executors.newFixedThreadPool(USERS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<AccessToken>> calls = new ArrayList<>();
            for (Subject user : users) {
                calls.add(callers.submit(() -> {
                    start.await();
                    return conduit.service.accessToken(conduit.system, user);
                }));
            }

            start.countDown();
            Set<String> tokens = new HashSet<>();
            try {
                for (Future<AccessToken> call : calls) {
                    tokens.add(call.get(HOLD_LIMIT.plusMinutes(3).toMinutes(), TimeUnit.MINUTES).value().reveal());
                }
            } finally {
                callers.shutdownNow();
            }

            assertThat(heldTooLong).as("the token endpoint waited %s for the rest of the %s requests", HOLD_LIMIT,
                    USERS).isFalse();
            assertThat(mostOutAtOnce).as("token requests out at once, with %s connections", POOL_SIZE)
                    .hasValue(USERS);
            assertThat(tokens).as("every user got a new token of their own").hasSize(USERS)
                    .allSatisfy(token -> assertThat(token).doesNotEndWith("-0"));
            assertThat(conduit.refreshes.get()).as("one token request per user").isEqualTo(USERS);
            assertThat(conduit.systems.status(UserTokenLoad.SYSTEM).isOk()).isTrue();
            assertThat(conduit.pool.getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(POOL_SIZE);
        }
    }
}
