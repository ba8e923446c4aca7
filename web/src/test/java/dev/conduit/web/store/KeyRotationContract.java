package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.Secret;
import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.State;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.crypto.KeyRotation;
import dev.conduit.core.crypto.ReEncryption;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Key rotation over the real stores: everything written under the old key is re-encrypted under the new one while the
 * stores keep serving, reads on after the old key is removed, and what was left under a removed key reads as absent
 * with a log line naming that key.
 */
abstract class KeyRotationContract {

    private static final String OLD_KEY = SecretCipher.generateKey();
    private static final String NEW_KEY = SecretCipher.generateKey();
    private static final String ACCESS = "access-token-5b0e7c";
    private static final String REFRESH = "refresh-token-91fa2d";
    private static final String VERIFIER = "verifier-verifier-verifier-verifier-verifier-0123";

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T10:00:00Z");

    /** A fresh, migrated database for each test. */
    abstract DataSource database();

    private static SecretCipher cipher(String primary, String... others) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(primary, primary.equals("old") ? OLD_KEY : NEW_KEY);
        for (String other : others) {
            keys.put(other, other.equals("old") ? OLD_KEY : NEW_KEY);
        }
        return SecretCipher.fromBase64(primary, keys);
    }

    private record Stores(JdbcConnectedSystemRepository systems, JdbcTokenStore tokens,
            JdbcPendingAuthorizationStore pending) {

        KeyRotation rotation(SecretCipher cipher) {
            return new KeyRotation(cipher, List.of(systems, tokens, pending));
        }
    }

    private Stores stores(DataSource data, SecretCipher cipher) {
        return new Stores(new JdbcConnectedSystemRepository(data, cipher, clock), new JdbcTokenStore(data, cipher, clock),
                new JdbcPendingAuthorizationStore(data, cipher, clock));
    }

    private static final TokenKey ALICE = new TokenKey("crm", Subject.user("alice"));

    private void writeEverything(Stores stores, String system, String state) {
        stores.systems().create(
                StoredSystems.minimal(system).clientSecret(Secret.of(StoredSystems.CLIENT_SECRET)).build());
        stores.tokens().save(new TokenKey(system, Subject.user("alice")), new TokenSet(Secret.of(ACCESS), "Bearer",
                clock.instant(), clock.instant().plus(Duration.ofHours(1)), Secret.of(REFRESH), Scope.parse("read")));
        stores.pending().save(new PendingAuthorization(new State(state), system, Subject.user("alice"),
                new CodeVerifier(VERIFIER), "https://conduit.example.com/oauth/callback", null,
                clock.instant().plus(Duration.ofMinutes(10))));
    }

    @Test
    void rotateWhenRowsAreUnderTheOldKeyThenAllAreUnderTheNewKeyAndReadWithoutTheOldOne() {
        DataSource data = database();
        writeEverything(stores(data, cipher("old")), "crm", "state-rotate-0000000000000001");

        KeyRotation.Result result = stores(data, cipher("new", "old")).rotation(cipher("new", "old")).rotate();

        assertThat(result.primaryKeyId()).isEqualTo("new");
        assertThat(result.stores()).extracting(ReEncryption::store, ReEncryption::reEncrypted, ReEncryption::unreadable)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("connected system secrets", 1L, 0L),
                        org.assertj.core.groups.Tuple.tuple("tokens", 1L, 0L),
                        org.assertj.core.groups.Tuple.tuple("pending authorizations", 1L, 0L));
        assertThat(Sql.allValues(data, "conduit_token")).filteredOn(v -> v != null && v.startsWith("v1."))
                .hasSize(2).allMatch(v -> v.startsWith("v1.new."));
        Stores newOnly = stores(data, cipher("new"));
        assertThat(newOnly.systems().find("crm").orElseThrow().client().secret()).contains(
                Secret.of(StoredSystems.CLIENT_SECRET));
        TokenSet tokens = newOnly.tokens().load(new TokenKey("crm", Subject.user("alice"))).orElseThrow();
        assertThat(tokens.accessToken()).isEqualTo(Secret.of(ACCESS));
        assertThat(tokens.refreshTokenIfAny()).contains(Secret.of(REFRESH));
        assertThat(newOnly.pending().find("state-rotate-0000000000000001")).isPresent();
    }

    @Test
    void rotateWhenRunTwiceThenTheSecondFindsEverythingCurrent() {
        DataSource data = database();
        writeEverything(stores(data, cipher("old")), "crm", "state-rotate-0000000000000002");
        KeyRotation rotation = stores(data, cipher("new", "old")).rotation(cipher("new", "old"));
        rotation.rotate();

        KeyRotation.Result again = rotation.rotate();

        assertThat(again.reEncrypted()).isZero();
        assertThat(again.stores()).extracting(ReEncryption::current).containsExactly(1L, 1L, 1L);
    }

    @Test
    void readWhenRowIsUnderARemovedKeyThenAbsentAndTheLogNamesTheKey() throws Exception {
        DataSource data = database();
        writeEverything(stores(data, cipher("old")), "crm", "state-rotate-0000000000000003");
        LeakCheck leaks = new LeakCheck().secret(ACCESS, REFRESH, VERIFIER, StoredSystems.CLIENT_SECRET, OLD_KEY,
                NEW_KEY);

        Stores newOnly = stores(data, cipher("new"));
        KeyRotation.Result result;
        try (AutoCloseable logs = leaks.recordLogs()) {
            assertThat(newOnly.tokens().load(new TokenKey("crm", Subject.user("alice")))).isEmpty();
            assertThatThrownBy(() -> newOnly.systems().find("crm")).isInstanceOfSatisfying(
                    dev.conduit.api.ConduitException.class, e -> assertThat(e.getMessage())
                            .contains("encrypted with key 'old', which is not configured"));
            result = newOnly.rotation(cipher("new")).rotate();
        }

        assertThat(result.unreadable()).isEqualTo(3);
        assertThat(result.reEncrypted()).isZero();
        assertThat(leaks.collected()).anySatisfy(line -> assertThat(line).contains("stored token")
                .contains("encrypted with key 'old', which is not configured"));
        assertThat(leaks.collected()).anySatisfy(line -> assertThat(line).contains("Key rotation")
                .contains("key 'old'"));
        leaks.assertNoLeak();
    }

    @Test
    void rotateWhenATokenIsRefreshedWhileTheRotationRunsThenTheRefreshWinsAndTheRowCountsAsChangedMeanwhile() {
        DataSource data = database();
        writeEverything(stores(data, cipher("old")), "crm", "state-rotate-0000000000000004");
        TokenSet refreshed = new TokenSet(Secret.of("access-token-refreshed-3c9d"), "Bearer", clock.instant(),
                clock.instant().plus(Duration.ofHours(1)), Secret.of("refresh-token-rotated-77e1"), Scope.parse("read"));
        // another node refreshes the token (under the new key) after the rotation read the row, before it writes it
        JdbcTokenStore otherNode = new JdbcTokenStore(data, cipher("new", "old"), clock);
        DataSource interleaved = beforeFirstUpdateOf("conduit_token", data, () -> otherNode.save(ALICE, refreshed));

        KeyRotation.Result result = stores(interleaved, cipher("new", "old")).rotation(cipher("new", "old")).rotate();

        ReEncryption tokens = result.stores().stream().filter(s -> s.store().equals("tokens")).findFirst()
                .orElseThrow();
        assertThat(tokens.changedMeanwhile()).isEqualTo(1);
        assertThat(tokens.reEncrypted()).isZero();
        assertThat(tokens.unreadable()).isZero();
        TokenSet stored = stores(data, cipher("new")).tokens().load(ALICE).orElseThrow();
        assertThat(stored.accessToken()).as("the refresh is not overwritten with the older tokens")
                .isEqualTo(Secret.of("access-token-refreshed-3c9d"));
        assertThat(stored.refreshTokenIfAny()).contains(Secret.of("refresh-token-rotated-77e1"));
        assertThat(result.stores()).filteredOn(s -> !s.store().equals("tokens"))
                .allSatisfy(s -> assertThat(s.reEncrypted()).isEqualTo(1));
    }

    /** {@code data}, running {@code meanwhile} once, right before the first {@code UPDATE} of {@code table} is prepared. */
    private static DataSource beforeFirstUpdateOf(String table, DataSource data, Runnable meanwhile) {
        AtomicBoolean ran = new AtomicBoolean();
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(data, method, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (c, m, a) -> {
                                if (m.getName().equals("prepareStatement") && a[0] instanceof String sql
                                        && sql.startsWith("UPDATE " + table + " ") && ran.compareAndSet(false, true)) {
                                    meanwhile.run();
                                }
                                return invoke(connection, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
