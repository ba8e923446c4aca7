package dev.conduit.bench;

import dev.conduit.web.json.SharedJson;
import dev.conduit.web.security.RecentBasicLogins;
import dev.conduit.web.security.RegistryLogin;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two costs every API request paid before: the remembered Basic login's HMAC, from a Mac looked up and initialised for
 * each request ({@code hmacNewMac}) against a clone of one initialised Mac ({@code hmacClonedMac}), and the whole
 * remembered login as the sign-in mechanism calls it ({@code rememberedLogin}); and a small JSON object built through
 * {@code jakarta.json.Json}, which looks the provider up with the service loader each time ({@code jsonLookedUp}),
 * against {@code SharedJson}'s factory ({@code jsonShared}). Outside Liberty the service loader scans this jar's class
 * path, so {@code jsonLookedUp} measures more than it costs in the server (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HotPathCostsBenchmark {

    private static final byte[] NAME = "machine-client".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PASSWORD = "machine-client-pass".getBytes(StandardCharsets.UTF_8);

    private SecretKeySpec key;
    private Mac prototype;
    private RecentBasicLogins logins;
    private final BiFunction<String, String, Optional<RegistryLogin.Caller>> registry =
            (user, password) -> Optional.of(new RegistryLogin.Caller(user, Set.of("group:Conduit/conduit-users")));

    @Setup(Level.Trial)
    public void start() throws GeneralSecurityException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        key = new SecretKeySpec(random, "HmacSHA256");
        prototype = Mac.getInstance("HmacSHA256");
        prototype.init(key);
        logins = new RecentBasicLogins();
        if (logins.validate("machine-client", "machine-client-pass", registry).isEmpty()) {
            throw new IllegalStateException("the login was not accepted");
        }
    }

    @Benchmark
    public byte[] hmacNewMac() throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        mac.update(NAME);
        return mac.doFinal(PASSWORD);
    }

    @Benchmark
    public byte[] hmacClonedMac() throws CloneNotSupportedException {
        Mac mac = (Mac) prototype.clone();
        mac.update(NAME);
        return mac.doFinal(PASSWORD);
    }

    @Benchmark
    public Optional<RegistryLogin.Caller> rememberedLogin() {
        return logins.validate("machine-client", "machine-client-pass", registry);
    }

    @Benchmark
    public JsonObject jsonLookedUp() {
        return Json.createObjectBuilder().add("status", 200).add("tokenRenewed", false)
                .add("headers", Json.createObjectBuilder().add("content-type", Json.createArrayBuilder()
                        .add("application/json"))).build();
    }

    @Benchmark
    public JsonObject jsonShared() {
        return SharedJson.createObjectBuilder().add("status", 200).add("tokenRenewed", false)
                .add("headers", SharedJson.createObjectBuilder().add("content-type", SharedJson.createArrayBuilder()
                        .add("application/json"))).build();
    }
}
