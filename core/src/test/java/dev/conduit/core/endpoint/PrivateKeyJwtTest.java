package dev.conduit.core.endpoint;

import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.TestSystems;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 7523 section 2.2 client authentication with a signed JWT instead of a shared secret. */
class PrivateKeyJwtTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, String> GRANT = Map.of("grant_type", "client_credentials");

    private HostileTokenServer server;
    private HttpTokenEndpointFactory factory;

    @BeforeEach
    void setUp() {
        server = HostileTokenServer.start();
        factory = new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), TestSystems.fastSettings(), CLOCK);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private ConnectedSystem system(String pem) {
        return TestSystems.clientCredentials(server).clientSecret(null)
                .clientAuthMethod(ClientAuthMethod.PRIVATE_KEY_JWT)
                .clientAssertionKey(Secret.of(pem)).clientAssertionKeyId("conduit-key-1").build();
    }

    private SignedJWT assertionSent() throws Exception {
        RecordedRequest request = server.lastRequest();
        assertThat(request.header("Authorization")).isEmpty();
        assertThat(request.formParameter("client_secret")).isEmpty();
        assertThat(request.formParameter("client_id")).contains(TestSystems.CLIENT_ID);
        assertThat(request.formParameter("client_assertion_type"))
                .contains("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        return SignedJWT.parse(request.formParameter("client_assertion").orElseThrow());
    }

    @Test
    void requestTokenWhenRsaKeyThenRs256AssertionVerifiesWithPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        server.enqueue(okToken("jwt-authenticated", 300));

        factory.forSystem(system(pem(pair))).requestToken(GRANT);

        SignedJWT jwt = assertionSent();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("conduit-key-1");
        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(TestSystems.CLIENT_ID);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(TestSystems.CLIENT_ID);
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(server.url("/token"));
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
                .isEqualTo(CLOCK.instant().plusSeconds(60));
    }

    @Test
    void requestTokenWhenEcP256KeyThenEs256AndFreshJtiEachTime() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        server.enqueue(okToken("one", 300), okToken("two", 300));
        HttpTokenEndpoint endpoint = factory.forSystem(system(pem(pair)));

        endpoint.requestToken(GRANT);
        SignedJWT first = assertionSent();
        endpoint.requestToken(GRANT);
        SignedJWT second = assertionSent();

        assertThat(first.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(first.verify(new ECDSAVerifier((ECPublicKey) pair.getPublic()))).isTrue();
        assertThat(second.getJWTClaimsSet().getJWTID()).isNotEqualTo(first.getJWTClaimsSet().getJWTID());
    }

    @Test
    void requestTokenWhenKeyNotPemThenFieldNamedAndKeyNotShown() {
        String bogus = "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LXNlY3JldC1tYXRlcmlhbA==\n-----END PRIVATE KEY-----";
        LeakCheck leaks = new LeakCheck().secret("bm90LWEta2V5LXNlY3JldC1tYXRlcmlhbA==");
        ConnectedSystem system = system(bogus);

        RuntimeException e = leaks.expectThrows(() -> factory.forSystem(system).requestToken(GRANT));

        assertThat(e).isInstanceOfSatisfying(ConduitException.class, c -> {
            assertThat(c.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
            assertThat(c.field()).contains("clientAssertionKey");
        });
        assertThat(server.requestCount()).isZero();
        leaks.collect(system);
        leaks.assertNoLeak();
    }

    @Test
    void buildWhenPrivateKeyJwtWithoutKeyThenRefused() {
        assertThatThrownBy(() -> TestSystems.clientCredentials(server)
                .clientAuthMethod(ClientAuthMethod.PRIVATE_KEY_JWT).build())
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.field()).contains("clientAssertionKey"));
    }
}
