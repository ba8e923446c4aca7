package dev.conduit.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** {@link RecentBasicLogins} in front of a registry that knows alice with one password and counts what it is asked. */
class RecentBasicLoginsTest {

    private static final RegistryLogin.Caller ALICE = new RegistryLogin.Caller("alice",
            Set.of("group:Conduit/conduit-users"));

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T10:00:00Z");
    private final List<String> asked = new ArrayList<>();
    private String alicePassword = "alice-pass";
    private final BiFunction<String, String, Optional<RegistryLogin.Caller>> registry = (user, password) -> {
        asked.add(user);
        return user.equals("alice") && password.equals(alicePassword) ? Optional.of(ALICE) : Optional.empty();
    };
    private final RecentBasicLogins logins = new RecentBasicLogins(clock, Duration.ofSeconds(10));

    @Test
    void validateWhenSameCredentialsWithinLifetimeThenRegistryAskedOnce() {
        for (int i = 0; i < 5; i++) {
            assertThat(logins.validate("alice", "alice-pass", registry)).contains(ALICE);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(asked).hasSize(1);
    }

    @Test
    void validateWhenPasswordWrongThenRefusedEveryTimeAndNeverRemembered() {
        assertThat(logins.validate("alice", "alice-pass", registry)).contains(ALICE);

        for (int i = 0; i < 3; i++) {
            assertThat(logins.validate("alice", "guess-" + i, registry)).isEmpty();
            assertThat(logins.validate("alice", "wrong", registry)).isEmpty();
        }

        assertThat(asked).hasSize(7);
        assertThat(logins.size()).isEqualTo(1);
    }

    @Test
    void validateWhenLifetimePassedThenRegistryAskedAgainAndAChangedPasswordTakesEffect() {
        assertThat(logins.validate("alice", "alice-pass", registry)).contains(ALICE);
        alicePassword = "changed-pass";

        clock.advance(Duration.ofSeconds(10));

        assertThat(logins.validate("alice", "alice-pass", registry)).isEmpty();
        assertThat(logins.validate("alice", "alice-pass", registry)).isEmpty();
        assertThat(asked).hasSize(3);
        assertThat(logins.size()).isZero();
    }

    @Test
    void validateWhenSameCharactersSplitDifferentlyBetweenUserAndPasswordThenRegistryAskedAndRefuses() {
        assertThat(logins.validate("alice", "alice-pass", registry)).contains(ALICE);

        // "alice" + "alice-pass" and "alicealice-" + "pass" are the same characters in a row
        assertThat(logins.validate("alicealice-", "pass", registry)).isEmpty();
        assertThat(logins.validate("alic", "ealice-pass", registry)).isEmpty();

        assertThat(asked).containsExactly("alice", "alicealice-", "alic");
    }

    @Test
    void validateWhenLifetimeZeroThenRegistryAskedEveryTime() {
        RecentBasicLogins off = new RecentBasicLogins(clock, Duration.ZERO);

        for (int i = 0; i < 3; i++) {
            assertThat(off.validate("alice", "alice-pass", registry)).contains(ALICE);
        }

        assertThat(asked).hasSize(3);
        assertThat(off.size()).isZero();
    }

    @Test
    void toStringWhenCredentialsRememberedThenNamesNoUserNorPassword() {
        logins.validate("alice", "alice-pass", registry);

        assertThat(logins.toString()).doesNotContain("alice").contains("1 remembered");
    }

    @Test
    void validateWhenFullOfRecentLoginsThenANewLoginIsAskedEachTimeAndTheKnownOnesStayRemembered() {
        BiFunction<String, String, Optional<RegistryLogin.Caller>> anyone = (user, password) -> {
            asked.add(user);
            return Optional.of(new RegistryLogin.Caller(user, Set.of()));
        };
        for (int i = 0; i < RecentBasicLogins.MAX_ENTRIES; i++) {
            logins.validate("user-" + i, "pass", anyone);
        }
        asked.clear();

        logins.validate("newcomer", "pass", anyone);
        logins.validate("newcomer", "pass", anyone);
        logins.validate("user-0", "pass", anyone);

        assertThat(asked).containsExactly("newcomer", "newcomer");
        assertThat(logins.size()).isEqualTo(RecentBasicLogins.MAX_ENTRIES);
        clock.advance(Duration.ofSeconds(10));
        logins.validate("newcomer", "pass", anyone);
        logins.validate("newcomer", "pass", anyone);
        assertThat(asked).as("remembered once the others expired").hasSize(3);
    }

    @Test
    void digestWhenComputedAgainAndOnManyThreadsThenEqualsAnHmacInitialisedForThatCall() throws Exception {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 7);
        RecentBasicLogins keyed = new RecentBasicLogins(clock, Duration.ofSeconds(10), key);
        String expected = referenceDigest(key, "alice", "alice-pass");

        assertThat(keyed.digest("alice", "alice-pass")).isEqualTo(expected)
                .isEqualTo(keyed.digest("alice", "alice-pass"));
        assertThat(keyed.digest("bob", "bob-pass")).isEqualTo(referenceDigest(key, "bob", "bob-pass"))
                .isNotEqualTo(expected);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Set<String>>> digests = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                digests.add(threads.submit(() -> {
                    Set<String> seen = new java.util.HashSet<>();
                    for (int i = 0; i < 2_000; i++) {
                        seen.add(keyed.digest("alice", "alice-pass"));
                    }
                    return seen;
                }));
            }
            for (java.util.concurrent.Future<Set<String>> seen : digests) {
                assertThat(seen.get()).containsExactly(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** The HMAC-SHA256 of the user name's length (4 bytes, big-endian), the name and the password, from a new Mac. */
    private static String referenceDigest(byte[] key, String user, String password) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        byte[] name = user.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        mac.update(java.nio.ByteBuffer.allocate(4).putInt(name.length).array());
        mac.update(name);
        return java.util.Base64.getEncoder().encodeToString(
                mac.doFinal(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
