package dev.conduit.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.State;
import dev.conduit.api.token.Subject;
import dev.conduit.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryPendingAuthorizationStoreTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryPendingAuthorizationStore store = new InMemoryPendingAuthorizationStore(clock, 3,
            Duration.ofMinutes(30));

    private static PendingAuthorization pending(String user, Instant expiresAt) {
        String state = String.format("state-%022d", SEQUENCE.incrementAndGet());
        return new PendingAuthorization(new State(state), "crm", Subject.user(user), new CodeVerifier(VERIFIER),
                "https://conduit.example.com/callback", null, expiresAt);
    }

    @Test
    void findWhenSavedThenReturnedUntilPurged() {
        PendingAuthorization saved = pending("alice", NOW.plusSeconds(600));
        store.save(saved);

        assertThat(store.find(saved.state().value())).contains(saved);
        assertThat(store.find("state-unknown-000000000000")).isEmpty();
        assertThat(store.find(null)).isEmpty();
    }

    @Test
    void markUsedWhenCalledTwiceThenTrueOnlyOnceAndEntryStaysFindable() {
        PendingAuthorization saved = pending("alice", NOW.plusSeconds(600));
        store.save(saved);

        assertThat(store.markUsed(saved.state().value())).isTrue();
        assertThat(store.markUsed(saved.state().value())).isFalse();
        assertThat(store.find(saved.state().value())).contains(saved);
        assertThat(store.markUsed("state-unknown-000000000000")).isFalse();
    }

    @Test
    void markUsedWhen64ThreadsRaceThenExactlyOneWins() throws Exception {
        PendingAuthorization saved = pending("alice", NOW.plusSeconds(600));
        store.save(saved);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return store.markUsed(saved.state().value());
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> result : results) {
            winners += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();

        assertThat(winners).isEqualTo(1);
    }

    @Test
    void purgeExpiredWhenCalledThenForgetsOnlyExpiredEntries() {
        PendingAuthorization early = pending("alice", NOW.plusSeconds(60));
        PendingAuthorization late = pending("bob", NOW.plusSeconds(600));
        store.save(early);
        store.save(late);

        store.purgeExpired(NOW.plusSeconds(60));

        assertThat(store.find(early.state().value())).isEmpty();
        assertThat(store.find(late.state().value())).contains(late);
    }

    @Test
    void saveWhenEntriesExpiredLongerThanGraceThenTheyAreForgotten() {
        PendingAuthorization old = pending("alice", NOW.plusSeconds(60));
        store.save(old);
        clock.advance(Duration.ofMinutes(20));
        store.save(pending("bob", clock.instant().plusSeconds(600)));

        assertThat(store.find(old.state().value())).as("within the grace: still answers as expired").contains(old);

        clock.advance(Duration.ofMinutes(15));
        store.save(pending("carol", clock.instant().plusSeconds(600)));

        assertThat(store.find(old.state().value())).isEmpty();
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void saveWhenUserExceedsLimitThenTheirOldestLinkIsForgottenAndOthersKept() {
        PendingAuthorization bobs = pending("bob", NOW.plusSeconds(100));
        store.save(bobs);
        List<PendingAuthorization> alices = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            PendingAuthorization p = pending("alice", NOW.plusSeconds(100 + i));
            alices.add(p);
            store.save(p);
        }

        assertThat(store.size()).isEqualTo(4);
        assertThat(store.find(bobs.state().value())).contains(bobs);
        assertThat(store.find(alices.get(0).state().value())).isEmpty();
        assertThat(store.find(alices.get(1).state().value())).isEmpty();
        assertThat(store.find(alices.get(4).state().value())).contains(alices.get(4));
    }

    @Test
    void saveWhen10000LinksOver11MinutesThenStoreStaysBounded() {
        InMemoryPendingAuthorizationStore bounded = new InMemoryPendingAuthorizationStore(clock, 20, Duration.ZERO);
        for (int i = 0; i < 10_000; i++) {
            clock.advance(Duration.ofMillis(66));
            bounded.save(pending("user" + (i % 500), clock.instant().plus(Duration.ofSeconds(10))));
        }

        // 10 s of links at one per 66 ms, whatever the number of users
        assertThat(bounded.size()).isLessThanOrEqualTo(152);
    }
}
