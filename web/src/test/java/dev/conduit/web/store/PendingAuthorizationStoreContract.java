package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.State;
import dev.conduit.api.token.Subject;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.store.InMemoryPendingAuthorizationStore;
import dev.conduit.core.testing.MutableClock;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link JdbcPendingAuthorizationStore} does, whatever the database; subclasses supply the database. */
abstract class PendingAuthorizationStoreContract {

    static final String STATE = "st4te-0123456789abcdefABCDEF";
    static final String VERIFIER = "verifier-0123456789-abcdefghijklmnopqrstuvwxyz.~_";

    final MutableClock clock = MutableClock.startingAt("2026-03-01T12:00:00.250Z");
    final SecretCipher cipher = TestCiphers.fresh();
    DataSource dataSource;
    JdbcPendingAuthorizationStore store;
    ExecutorService threads;

    abstract DataSource database();

    /** How many links one user opens in the flood test, on every database. */
    static final int FLOOD_LINKS = 10_000;

    @BeforeEach
    void setUp() {
        dataSource = database();
        TestDatabases.clear(dataSource);
        store = new JdbcPendingAuthorizationStore(dataSource, cipher, clock);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    PendingAuthorization pending(String state, Instant expiresAt) {
        return new PendingAuthorization(new State(state), "crm", Subject.user("alice@example.com"),
                new CodeVerifier(VERIFIER), "https://conduit.example.com/oauth/callback?x=1&y=%20",
                "https://idp.example.com/realms/acme", expiresAt);
    }

    @Test
    void saveThenFindReturnsEveryField() {
        PendingAuthorization saved = pending(STATE, clock.instant().plus(Duration.ofMinutes(10)));

        store.save(saved);

        assertThat(store.find(STATE)).contains(saved);
        assertThat(store.find("another-state-0123456789abcdef")).isEmpty();
    }

    @Test
    void saveWhenNoIssuerThenFindReturnsNoIssuer() {
        PendingAuthorization saved = new PendingAuthorization(new State(STATE), "crm", Subject.user("bob"),
                new CodeVerifier(VERIFIER), "https://conduit.example.com/oauth/callback", null,
                clock.instant().plusSeconds(60));

        store.save(saved);

        assertThat(store.find(STATE)).contains(saved);
        assertThat(store.find(STATE).orElseThrow().issuer()).isNull();
    }

    @Test
    void saveWhenStateAlreadyIssuedThenInternalErrorAndFirstKept() {
        PendingAuthorization first = pending(STATE, clock.instant().plusSeconds(60));
        store.save(first);

        assertThatThrownBy(() -> store.save(pending(STATE, clock.instant().plusSeconds(600))))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));

        assertThat(store.find(STATE)).contains(first);
    }

    @Test
    void saveThenVerifierIsNotStoredInTheClear() {
        store.save(pending(STATE, clock.instant().plusSeconds(60)));

        assertThat(Sql.allValues(dataSource, "conduit_pending_authorization"))
                .allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(VERIFIER));
    }

    @Test
    void markUsedWhenCalledTwiceThenTrueOnlyTheFirstTime() {
        store.save(pending(STATE, clock.instant().plusSeconds(60)));

        assertThat(store.markUsed(STATE)).isTrue();
        assertThat(store.markUsed(STATE)).isFalse();
        // still found until purged: the callback can tell "replayed" from "unknown"
        assertThat(store.find(STATE)).isPresent();
    }

    @Test
    void markUsedWhenStateUnknownThenFalse() {
        assertThat(store.markUsed("never-issued-0123456789abcdef")).isFalse();
    }

    @Test
    void markUsedWhenManyCallersAtOnceThenExactlyOneWins() throws Exception {
        store.save(pending(STATE, clock.instant().plusSeconds(60)));
        int callers = 12;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            futures.add(threads.submit(() -> {
                start.await();
                return store.markUsed(STATE);
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> future : futures) {
            winners += future.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }

        assertThat(winners).isEqualTo(1);
    }

    @Test
    void saveWhenOneUserOpensThousandsOfLinksThenAtMostTheCapRemainAndNoneAfterExpiry() throws Exception {
        int links = FLOOD_LINKS;
        // one pooled connection, as in the server: the flood measures the store, not PostgreSQL's connection set-up
        try (Connection connection = dataSource.getConnection()) {
            JdbcPendingAuthorizationStore flooded = new JdbcPendingAuthorizationStore(ReusedConnection.of(connection),
                    cipher, clock);
            for (int i = 0; i < links; i++) {
                flooded.save(pending("flood-" + i + "-0123456789abcdef", clock.instant().plus(Duration.ofMinutes(10))));
                clock.advance(Duration.ofMillis(1));
            }
        }

        assertThat(count("alice@example.com")).isEqualTo(InMemoryPendingAuthorizationStore.DEFAULT_MAX_PER_USER);
        assertThat(store.find("flood-" + (links - 1) + "-0123456789abcdef")).as("the newest link still works")
                .isPresent();

        // the next link anyone opens after the expiry and its grace removes them
        clock.advance(Duration.ofMinutes(10).plus(InMemoryPendingAuthorizationStore.DEFAULT_GRACE).plusSeconds(1));
        assertThat(count("alice@example.com")).isEqualTo(InMemoryPendingAuthorizationStore.DEFAULT_MAX_PER_USER);
        store.save(new PendingAuthorization(new State("someone-else-0123456789abcdef"), "crm", Subject.user("bob"),
                new CodeVerifier(VERIFIER), "https://conduit.example.com/oauth/callback", null,
                clock.instant().plusSeconds(600)));

        assertThat(count("alice@example.com")).isZero();
        assertThat(count("bob")).isEqualTo(1);
    }

    @Test
    void saveWhenAnotherUserIsAtTheCapThenThisUsersLinksAreKept() {
        JdbcPendingAuthorizationStore capped = new JdbcPendingAuthorizationStore(dataSource, cipher, clock, 2,
                Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            capped.save(pending("alice-" + i + "-0123456789abcdef", clock.instant().plusSeconds(600 + i)));
        }
        capped.save(new PendingAuthorization(new State("bob-state-0123456789abcdef"), "crm", Subject.user("bob"),
                new CodeVerifier(VERIFIER), "https://conduit.example.com/oauth/callback", null,
                clock.instant().plusSeconds(600)));

        assertThat(count("alice@example.com")).isEqualTo(2);
        assertThat(capped.find("alice-0-0123456789abcdef")).as("the oldest link is forgotten").isEmpty();
        assertThat(capped.find("alice-2-0123456789abcdef")).isPresent();
        assertThat(count("bob")).isEqualTo(1);
    }

    private int count(String user) {
        return Integer.parseInt(Sql.queryString(dataSource,
                "SELECT COUNT(*) FROM conduit_pending_authorization WHERE user_id = ?", user));
    }

    @Test
    void purgeExpiredThenRemovesOnlyThoseExpiredBeforeNow() {
        Instant now = clock.instant();
        store.save(pending("expired-0123456789abcdefgh", now.minusMillis(1)));
        store.save(pending("expires-now-0123456789abcdef", now));
        store.save(pending("still-valid-0123456789abcdef", now.plusSeconds(60)));
        store.markUsed("still-valid-0123456789abcdef");

        store.purgeExpired(now);

        assertThat(store.find("expired-0123456789abcdefgh")).isEmpty();
        assertThat(store.find("expires-now-0123456789abcdef")).isPresent();
        assertThat(store.find("still-valid-0123456789abcdef")).isPresent();
        assertThat(store.markUsed("still-valid-0123456789abcdef")).isFalse();
    }

    @Test
    void findWhenVerifierCiphertextHasOneFlippedByteThenAbsent() {
        store.save(pending(STATE, clock.instant().plusSeconds(60)));
        String sealed = Sql.queryString(dataSource, "SELECT code_verifier FROM conduit_pending_authorization");

        Sql.update(dataSource, "UPDATE conduit_pending_authorization SET code_verifier = ?", Tamper.flipOneByte(sealed));

        assertThat(store.find(STATE)).isEmpty();
    }

    @Test
    void findWhenRowMovedToAnotherUserThenAbsent() {
        store.save(pending(STATE, clock.instant().plusSeconds(60)));

        Sql.update(dataSource, "UPDATE conduit_pending_authorization SET user_id = 'mallory'");

        assertThat(store.find(STATE)).isEmpty();
    }
}
