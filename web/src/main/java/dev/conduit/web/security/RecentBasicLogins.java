package dev.conduit.web.security;

import dev.conduit.core.cache.ExpiringMap;
import dev.conduit.web.config.ConduitSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Remembers for a few seconds ({@value ConduitSettings#BASIC_LOGIN_CACHE_SECONDS}, default
 * {@value #DEFAULT_SECONDS} s; 0 turns it off) the HTTP Basic credentials the user registry has just accepted. A
 * machine client sends the same credentials with every request, and a registry login per request was the largest
 * part of an integration call's cost on the server.
 *
 * <ul>
 *   <li>Only accepted credentials are remembered. A wrong password always goes to the registry and is refused (and
 *       audited) as before.</li>
 *   <li>No password is kept: an entry is found by an HMAC-SHA256 of the user name and password, under a key drawn
 *       at random when the server starts and never written anywhere.</li>
 *   <li>A password changed, or a user removed or locked in the registry, stops working on this server after at most
 *       the lifetime.</li>
 *   <li>At most {@value #MAX_ENTRIES} entries; when full, expired ones are dropped and, if none expired, the new
 *       login is simply not remembered.</li>
 * </ul>
 */
@ApplicationScoped
public class RecentBasicLogins {

    static final int DEFAULT_SECONDS = 10;
    static final int MAX_ENTRIES = 10_000;

    private final Duration lifetime;
    private final SecretKeySpec key;
    /**
     * Initialised once with the key and never used itself: each digest works on a clone of it. Looking the algorithm
     * up and initialising it for every request cost four times as much (bench's {@code HotPathCostsBenchmark}: 1.15 us
     * and 872 bytes a digest against 0.29 us and 504 bytes), and a clone, unlike a Mac per thread, leaves no copy of
     * the key in every server thread.
     */
    private final Mac prototype;
    /** By digest of the credentials. */
    private final ExpiringMap<String, RegistryLogin.Caller> remembered;

    /** The lifetime read from configuration once, at start. */
    public RecentBasicLogins() {
        this(Clock.systemUTC(), Duration.ofSeconds(ConfigProvider.getConfig(RecentBasicLogins.class.getClassLoader())
                .getOptionalValue(ConduitSettings.BASIC_LOGIN_CACHE_SECONDS, Integer.class).orElse(DEFAULT_SECONDS)));
    }

    RecentBasicLogins(Clock clock, Duration lifetime) {
        this(clock, lifetime, randomKey());
    }

    RecentBasicLogins(Clock clock, Duration lifetime, byte[] key) {
        this.lifetime = lifetime.isNegative() ? Duration.ZERO : lifetime;
        this.remembered = new ExpiringMap<>(clock, this.lifetime, MAX_ENTRIES);
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.prototype = initialisedMac(this.key);
    }

    private static byte[] randomKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return random;
    }

    /**
     * The caller these credentials were accepted for less than the lifetime ago, else the registry's answer (which is
     * remembered if it accepts them).
     */
    public Optional<RegistryLogin.Caller> validate(String user, String password,
            BiFunction<String, String, Optional<RegistryLogin.Caller>> registry) {
        if (lifetime.isZero()) {
            return registry.apply(user, password);
        }
        String digest = digest(user, password);
        Optional<RegistryLogin.Caller> known = remembered.get(digest); // an expired entry is dropped here
        if (known.isPresent()) {
            return known;
        }
        Optional<RegistryLogin.Caller> caller = registry.apply(user, password);
        caller.ifPresent(accepted -> remembered.put(digest, accepted));
        return caller;
    }

    int size() {
        return remembered.size();
    }

    /** The user name's length first, so that no two (user, password) pairs give the same input. */
    String digest(String user, String password) {
        Mac mac = mac();
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        mac.update(new byte[] {(byte) (name.length >>> 24), (byte) (name.length >>> 16), (byte) (name.length >>> 8),
                (byte) name.length});
        mac.update(name);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        try {
            return Base64.getEncoder().encodeToString(mac.doFinal(secret));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** A Mac of its own for one digest: a clone of the prototype, or a new one where the provider cannot clone. */
    private Mac mac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return initialisedMac(key);
        }
    }

    private static Mac initialisedMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "RecentBasicLogins[" + lifetime + ", " + remembered.size() + " remembered]";
    }
}
