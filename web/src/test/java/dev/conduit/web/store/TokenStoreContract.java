package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link JdbcTokenStore} does, whatever the database; subclasses supply the database. */
abstract class TokenStoreContract {

    static final TokenKey APP = new TokenKey("crm", Subject.application());
    static final TokenKey ALICE = new TokenKey("crm", Subject.user("alice"));
    static final TokenKey BOB = new TokenKey("crm", Subject.user("bob"));
    static final TokenKey OTHER_SYSTEM = new TokenKey("erp", Subject.user("alice"));

    static final String ACCESS_TOKEN = "access-8d2f61c0a7e94b3d";
    static final String REFRESH_TOKEN = "refresh-51be09d7c3a24f68";

    final MutableClock clock = MutableClock.startingAt("2026-03-01T10:15:30.123456Z");
    final SecretCipher cipher = TestCiphers.fresh();
    DataSource dataSource;
    JdbcTokenStore store;
    ExecutorService threads;

    /** The migrated database this contract runs against; the same one on every call within a test class. */
    abstract DataSource database();

    @BeforeEach
    void setUp() {
        dataSource = database();
        TestDatabases.clear(dataSource);
        store = new JdbcTokenStore(dataSource, cipher, clock);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    static TokenSet tokens(String access, String refresh, Instant issuedAt) {
        return new TokenSet(Secret.of(access), "Bearer", issuedAt, issuedAt.plus(Duration.ofHours(1)),
                Secret.ofNullable(refresh), Scope.parse("read write"));
    }

    TokenSet tokens() {
        return tokens(ACCESS_TOKEN, REFRESH_TOKEN, clock.instant());
    }

    @Test
    void loadWhenNothingStoredThenEmpty() {
        assertThat(store.load(ALICE)).isEmpty();
    }

    @Test
    void saveThenLoadReturnsEveryField() {
        TokenSet saved = tokens();

        store.save(ALICE, saved);

        assertThat(store.load(ALICE)).contains(saved);
        TokenSet loaded = store.load(ALICE).orElseThrow();
        assertThat(loaded.accessToken().reveal()).isEqualTo(ACCESS_TOKEN);
        assertThat(loaded.refreshToken().reveal()).isEqualTo(REFRESH_TOKEN);
        assertThat(loaded.tokenType()).isEqualTo("Bearer");
        assertThat(loaded.issuedAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123456Z"));
        assertThat(loaded.expiresAt()).isEqualTo(Instant.parse("2026-03-01T11:15:30.123456Z"));
        assertThat(loaded.scope().tokens()).containsExactly("read", "write");
    }

    @Test
    void saveWhenNoRefreshTokenAndNoScopeThenLoadsThemAsAbsent() {
        TokenSet saved = new TokenSet(Secret.of(ACCESS_TOKEN), "DPoP", clock.instant(),
                clock.instant().plusSeconds(5), null, Scope.EMPTY);

        store.save(APP, saved);

        TokenSet loaded = store.load(APP).orElseThrow();
        assertThat(loaded.refreshTokenIfAny()).isEmpty();
        assertThat(loaded.scope()).isEqualTo(Scope.EMPTY);
        assertThat(loaded).isEqualTo(saved);
    }

    @Test
    void saveWhenTokenExistsThenReplacesIt() {
        store.save(ALICE, tokens());
        TokenSet newer = tokens("access-2", null, clock.instant().plusSeconds(60));

        store.save(ALICE, newer);

        assertThat(store.load(ALICE)).contains(newer);
        assertThat(Sql.queryString(dataSource, "SELECT COUNT(*) FROM conduit_token")).isEqualTo("1");
    }

    @Test
    void loadWhenOtherSubjectsHaveTokensThenEachKeySeesOnlyItsOwn() {
        store.save(APP, tokens("app-token", null, clock.instant()));
        store.save(ALICE, tokens("alice-token", null, clock.instant()));
        store.save(OTHER_SYSTEM, tokens("erp-alice-token", null, clock.instant()));

        assertThat(store.load(APP).orElseThrow().accessToken().reveal()).isEqualTo("app-token");
        assertThat(store.load(ALICE).orElseThrow().accessToken().reveal()).isEqualTo("alice-token");
        assertThat(store.load(OTHER_SYSTEM).orElseThrow().accessToken().reveal()).isEqualTo("erp-alice-token");
        assertThat(store.load(BOB)).isEmpty();
        // a user whose id looks like the application's empty id is still a user
        assertThat(store.load(new TokenKey("crm", Subject.user("application")))).isEmpty();
    }

    @Test
    void removeWhenStoredThenOnlyThatKeyIsGone() {
        store.save(ALICE, tokens());
        store.save(BOB, tokens());

        store.remove(ALICE);
        store.remove(new TokenKey("crm", Subject.user("nobody")));

        assertThat(store.load(ALICE)).isEmpty();
        assertThat(store.load(BOB)).isPresent();
    }

    @Test
    void removeWhenAnUpdateHoldsTheKeyLongerThanTheDatabasesLockWaitThenWaitsAndRemovesWhatItStored()
            throws Exception {
        store.save(ALICE, tokens());
        CountDownLatch holding = new CountDownLatch(1);
        Future<Optional<TokenSet>> holder = threads.submit(() -> store.update(ALICE, current -> {
            holding.countDown();
            sleep(Duration.ofMillis(2500));
            return Optional.of(tokens("written-while-remove-waited", null, clock.instant()));
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        store.remove(ALICE);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(holder.get(10, TimeUnit.SECONDS)).isPresent();
        assertThat(waited).isGreaterThan(Duration.ofMillis(1500));
        assertThat(store.load(ALICE)).isEmpty();
    }

    @Test
    void removeAllWhenSystemHasTokensThenRemovesOnlyThatSystems() {
        store.save(APP, tokens());
        store.save(ALICE, tokens());
        store.save(OTHER_SYSTEM, tokens());

        store.removeAll("crm");

        assertThat(store.load(APP)).isEmpty();
        assertThat(store.load(ALICE)).isEmpty();
        assertThat(store.load(OTHER_SYSTEM)).isPresent();
    }

    @Test
    void updateWhenAbsentThenChangeSeesEmptyAndItsValueIsStored() {
        List<Optional<TokenSet>> seen = new ArrayList<>();
        TokenSet issued = tokens();

        Optional<TokenSet> result = store.update(ALICE, current -> {
            seen.add(current);
            return Optional.of(issued);
        });

        assertThat(seen).containsExactly(Optional.empty());
        assertThat(result).contains(issued);
        assertThat(store.load(ALICE)).contains(issued);
    }

    @Test
    void updateWhenPresentThenChangeSeesStoredValue() {
        TokenSet old = tokens();
        store.save(ALICE, old);
        TokenSet refreshed = tokens("access-2", "refresh-2", clock.instant().plusSeconds(30));

        Optional<TokenSet> result = store.update(ALICE, current -> {
            assertThat(current).contains(old);
            return Optional.of(refreshed);
        });

        assertThat(result).contains(refreshed);
        assertThat(store.load(ALICE)).contains(refreshed);
    }

    @Test
    void updateWhenChangeReturnsEmptyThenTokenIsDeleted() {
        store.save(ALICE, tokens());

        Optional<TokenSet> result = store.update(ALICE, current -> Optional.empty());

        assertThat(result).isEmpty();
        assertThat(store.load(ALICE)).isEmpty();
        assertThat(Sql.queryString(dataSource, "SELECT COUNT(*) FROM conduit_token")).isEqualTo("0");
    }

    @Test
    void updateWhenNothingWasStoredAndTheChangeReturnsEmptyThenNoRowRemains() {
        // a disconnect of a user who never authorized
        Optional<TokenSet> result = store.update(BOB, current -> {
            assertThat(current).isEmpty();
            return Optional.empty();
        });

        assertThat(result).isEmpty();
        assertThat(Sql.queryString(dataSource, "SELECT COUNT(*) FROM conduit_token")).isEqualTo("0");
        assertThat(store.update(BOB, current -> Optional.of(tokens()))).isPresent();
    }

    @Test
    void updateWhenChangeThrowsThenNothingChangesAndTheExceptionPropagates() {
        TokenSet old = tokens();
        store.save(ALICE, old);
        ConduitException failure = new ConduitException(ErrorCode.INVALID_GRANT, "refresh token revoked");

        assertThatThrownBy(() -> store.update(ALICE, current -> {
            throw failure;
        })).isSameAs(failure);

        assertThat(store.load(ALICE)).contains(old);
        // the key is free again: a later update is not blocked by the failed one
        assertThat(store.update(ALICE, current -> current)).contains(old);
    }

    @Test
    void updateWhenChangeThrowsOnFirstAcquisitionThenKeyStaysAbsent() {
        assertThatThrownBy(() -> store.update(BOB, current -> {
            throw new IllegalStateException("token endpoint down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("token endpoint down");

        assertThat(store.load(BOB)).isEmpty();
        assertThat(Sql.queryString(dataSource, "SELECT COUNT(*) FROM conduit_token")).as("no empty row").isEqualTo("0");
        assertThat(store.update(BOB, current -> Optional.of(tokens()))).isPresent();
    }

    @Test
    void updateWhenChangeReturnsNullThenRefusedAndNothingChanges() {
        TokenSet old = tokens();
        store.save(ALICE, old);

        assertThatThrownBy(() -> store.update(ALICE, current -> null)).isInstanceOf(NullPointerException.class);

        assertThat(store.load(ALICE)).contains(old);
    }

    @Test
    void saveThenTokensAreNotStoredInTheClear() {
        store.save(ALICE, tokens());

        List<String> row = Sql.allValues(dataSource, "conduit_token");

        assertThat(row).isNotEmpty().allSatisfy(value -> assertThat(String.valueOf(value))
                .doesNotContain(ACCESS_TOKEN).doesNotContain(REFRESH_TOKEN));
    }

    @Test
    void loadWhenCiphertextHasOneFlippedByteThenAbsentAndNothingLeaks() throws Exception {
        store.save(ALICE, tokens());
        String sealed = Sql.queryString(dataSource,
                "SELECT access_token FROM conduit_token WHERE user_id = ?", "alice");
        Sql.update(dataSource, "UPDATE conduit_token SET access_token = ? WHERE user_id = ?",
                Tamper.flipOneByte(sealed), "alice");
        LeakCheck leaks = new LeakCheck().secret(ACCESS_TOKEN, REFRESH_TOKEN);

        Optional<TokenSet> loaded;
        try (AutoCloseable logs = leaks.recordLogs()) {
            loaded = store.load(ALICE);
        }

        assertThat(loaded).isEmpty();
        assertThat(leaks.collected()).anyMatch(line -> line.contains("cannot be decrypted"));
        leaks.assertNoLeak();
    }

    @Test
    void loadWhenRefreshTokenHasOneFlippedByteThenAbsent() {
        store.save(ALICE, tokens());
        String sealed = Sql.queryString(dataSource,
                "SELECT refresh_token FROM conduit_token WHERE user_id = ?", "alice");

        Sql.update(dataSource, "UPDATE conduit_token SET refresh_token = ? WHERE user_id = ?",
                Tamper.flipOneByte(sealed), "alice");

        assertThat(store.load(ALICE)).isEmpty();
    }

    @Test
    void loadWhenCiphertextCopiedFromAnotherUsersRowThenAbsent() {
        store.save(ALICE, tokens("alice-token", "alice-refresh", clock.instant()));
        store.save(BOB, tokens("bob-token", "bob-refresh", clock.instant()));

        Sql.update(dataSource, "UPDATE conduit_token SET access_token = (SELECT access_token FROM conduit_token"
                + " WHERE user_id = 'alice'), refresh_token = (SELECT refresh_token FROM conduit_token"
                + " WHERE user_id = 'alice') WHERE user_id = 'bob'");

        assertThat(store.load(BOB)).isEmpty();
        assertThat(store.load(ALICE).orElseThrow().accessToken().reveal()).isEqualTo("alice-token");
    }

    @Test
    void loadWhenRefreshTokenCopiedIntoAccessColumnThenAbsent() {
        store.save(ALICE, tokens());

        Sql.update(dataSource, "UPDATE conduit_token SET access_token = refresh_token WHERE user_id = 'alice'");

        assertThat(store.load(ALICE)).isEmpty();
    }

    @Test
    void loadWhenEncryptedWithAnotherKeyThenAbsent() {
        store.save(ALICE, tokens());

        JdbcTokenStore otherKey = new JdbcTokenStore(dataSource, TestCiphers.fresh(), clock);

        assertThat(otherKey.load(ALICE)).isEmpty();
    }

    @Test
    void updateWhenStoredValueDoesNotDecryptThenChangeSeesEmptyAndOverwritesIt() {
        store.save(ALICE, tokens());
        Sql.update(dataSource, "UPDATE conduit_token SET access_token = refresh_token WHERE user_id = 'alice'");
        TokenSet fresh = tokens("access-new", null, clock.instant());

        store.update(ALICE, current -> {
            assertThat(current).isEmpty();
            return Optional.of(fresh);
        });

        assertThat(store.load(ALICE)).contains(fresh);
    }

    @Test
    void updateWhenManyThreadsChangeOneKeyThenEachSeesThePreviousResult() throws Exception {
        assertSerialised(List.of(store), 8, 4, Duration.ofMillis(5), true);
    }

    @Test
    void updateWhenManyThreadsCreateAKeyThatDidNotExistThenSerialised() throws Exception {
        assertSerialised(List.of(store), 8, 4, Duration.ofMillis(5), false);
    }

    @Test
    void updateWhenKeyHeldLongerThanTheLockTimeoutThenEndpointUnavailableAndChangeNeverRuns() throws Exception {
        JdbcTokenStore impatient = new JdbcTokenStore(database(), cipher, clock, Duration.ofSeconds(1));
        store.save(ALICE, tokens());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Optional<TokenSet>> holder = threads.submit(() -> store.update(ALICE, current -> {
            holding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return current;
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger ran = new AtomicInteger();

        long started = System.nanoTime();
        assertThatThrownBy(() -> impatient.update(ALICE, current -> {
            ran.incrementAndGet();
            return Optional.empty();
        })).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE);
            assertThat(e.systemName()).contains("crm");
        });
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        release.countDown();

        assertThat(waited).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        assertThat(ran.get()).isZero();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isPresent();
        assertThat(store.load(ALICE)).isPresent();
    }

    @Test
    void updateWhileTheChangeRunsThenNoDatabaseConnectionIsHeld() {
        ObservedDataSource open = new ObservedDataSource(dataSource);
        JdbcTokenStore counted = new JdbcTokenStore(open, cipher, clock);
        counted.save(ALICE, tokens());
        List<Integer> openDuringChange = new ArrayList<>();

        counted.update(ALICE, current -> {
            openDuringChange.add(open.openConnections());
            return Optional.of(tokens("access-2", null, clock.instant()));
        });

        assertThat(openDuringChange).containsExactly(0);
        assertThat(open.openConnections()).isZero();
        assertThat(store.load(ALICE).orElseThrow().accessToken().reveal()).isEqualTo("access-2");
    }

    @Test
    void updateWhenAnotherNodeCrashedHoldingTheLeaseThenTheKeyIsFreeOnceTheLeaseExpires() {
        store.save(ALICE, tokens());
        Sql.update(dataSource, "UPDATE conduit_token SET lease_owner = 'crashed-node:1', lease_until = ?"
                + " WHERE user_id = 'alice'", Jdbc.timestamp(clock.instant().plus(JdbcTokenStore.DEFAULT_LEASE)));
        JdbcTokenStore impatient = new JdbcTokenStore(dataSource, cipher, clock, Duration.ofMillis(300));
        AtomicInteger ran = new AtomicInteger();

        assertThatThrownBy(() -> impatient.update(ALICE, current -> {
            ran.incrementAndGet();
            return current;
        })).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE));
        assertThat(ran.get()).isZero();

        clock.advance(JdbcTokenStore.DEFAULT_LEASE.plusSeconds(1));
        impatient.update(ALICE, current -> {
            ran.incrementAndGet();
            return Optional.of(tokens("after-the-crash", null, clock.instant()));
        });

        assertThat(ran.get()).isEqualTo(1);
        assertThat(store.load(ALICE).orElseThrow().accessToken().reveal()).isEqualTo("after-the-crash");
        assertThat(Sql.queryString(dataSource, "SELECT lease_owner FROM conduit_token WHERE user_id = 'alice'"))
                .isNull();
    }

    @Test
    void updateWhenTheDatabaseWentAwayBeforeTheReleaseThenThisNodeTakesItsLeaseBackAtOnce() {
        ObservedDataSource database = new ObservedDataSource(dataSource);
        JdbcTokenStore node = new JdbcTokenStore(database, cipher, clock, Duration.ofMillis(300));
        node.save(ALICE, tokens());

        assertThatThrownBy(() -> node.update(ALICE, current -> {
            database.setAvailable(false);
            throw new IllegalStateException("token endpoint down");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Sql.queryString(dataSource, "SELECT lease_owner FROM conduit_token WHERE user_id = 'alice'"))
                .as("the lease the failed release left behind").isNotNull();
        assertThatThrownBy(() -> node.load(ALICE)).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        assertThatThrownBy(() -> node.update(ALICE, current -> current)).isInstanceOfSatisfying(
                ConduitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        database.setAvailable(true);

        node.update(ALICE, current -> Optional.of(tokens("after-the-outage", null, clock.instant())));

        assertThat(store.load(ALICE).orElseThrow().accessToken().reveal()).isEqualTo("after-the-outage");
    }

    @Test
    void updateWhenTheKeyIsRemovedWhileTheChangeRunsThenTheResultIsNotStored() {
        store.save(APP, tokens());

        store.update(APP, current -> {
            store.removeAll("crm");
            return Optional.of(tokens("renewed-meanwhile", null, clock.instant()));
        });

        assertThat(store.load(APP)).isEmpty();
    }

    @Test
    void updateWhenThreadsAlternatelyCreateAndDeleteThenEveryChangeSeesThePreviousOne() throws Exception {
        int updates = 24;
        AtomicInteger created = new AtomicInteger();
        AtomicInteger deleted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < updates; i++) {
            futures.add(threads.submit(() -> {
                start.await();
                return store.update(APP, current -> {
                    if (current.isPresent()) {
                        deleted.incrementAndGet();
                        return Optional.empty();
                    }
                    created.incrementAndGet();
                    return Optional.of(tokens());
                });
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }

        assertThat(created.get()).isEqualTo(updates / 2);
        assertThat(deleted.get()).isEqualTo(updates / 2);
        assertThat(store.load(APP)).isEmpty();
    }

    /**
     * Runs {@code threadsPerStore x updatesPerThread} read-modify-write updates of one key from each store at once and
     * checks they ran one at a time: no change started while another ran, and a counter kept in the token value ends
     * at the exact number of updates.
     */
    void assertSerialised(List<JdbcTokenStore> stores, int threadsPerStore, int updatesPerThread, Duration hold,
            boolean keyExistsBefore) throws Exception {
        TokenKey key = keyExistsBefore ? ALICE : new TokenKey("fresh", Subject.user("carol"));
        if (keyExistsBefore) {
            stores.get(0).save(key, counter(0));
        }
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger[] perStore = new AtomicInteger[stores.size()];
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < stores.size(); s++) {
            JdbcTokenStore node = stores.get(s);
            AtomicInteger mine = perStore[s] = new AtomicInteger();
            for (int t = 0; t < threadsPerStore; t++) {
                Callable<Void> worker = () -> {
                    start.await();
                    for (int u = 0; u < updatesPerThread; u++) {
                        node.update(key, current -> {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            sleep(hold);
                            int next = current.map(TokenStoreContract::count).orElse(0) + 1;
                            inside.decrementAndGet();
                            return Optional.of(counter(next));
                        });
                        mine.incrementAndGet();
                    }
                    return null;
                };
                futures.add(threads.submit(worker));
            }
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(2, TimeUnit.MINUTES);
        }

        int total = stores.size() * threadsPerStore * updatesPerThread;
        assertThat(overlaps.get()).as("changes that ran while another change of the key ran").isZero();
        assertThat(count(stores.get(stores.size() - 1).load(key).orElseThrow())).isEqualTo(total);
        for (AtomicInteger count : perStore) {
            assertThat(count.get()).isEqualTo(threadsPerStore * updatesPerThread);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    TokenSet counter(int value) {
        return tokens("counter-" + value, "refresh-" + value, clock.instant());
    }

    static int count(TokenSet tokens) {
        return Integer.parseInt(tokens.accessToken().reveal().substring("counter-".length()));
    }
}
