package dev.conduit.web.system;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.TestConduit;
import dev.conduit.web.problem.ProblemException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Properties;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** private_key_jwt client authentication (RFC 7523 section 2.2) configured through the REST API. */
class PrivateKeyJwtApiTest {

    private static KeyPair pair;
    private static String pem;
    /** The PEM's base64 body line, to find the key wherever it might leak. */
    private static String keyMaterial;

    private final TestConduit conduit = new TestConduit();
    private final ConnectedSystemsResource resource = conduit.systemsResource;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        pair = generator.generateKeyPair();
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded());
        pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        keyMaterial = body.lines().skip(3).findFirst().orElseThrow();
    }

    @AfterEach
    void close() {
        conduit.close();
    }

    private String systemJson(String name, String keyMembers) {
        return """
                {"name": "%s", "grantType": "client_credentials", "tokenEndpoint": "%s", "clientId": "%s",
                 "clientAuthMethod": "private_key_jwt", "scope": "read" %s}
                """.formatted(name, conduit.server.url("/token"), TestSystems.CLIENT_ID, keyMembers);
    }

    private static String keyMembers(String kid) {
        return ", \"clientAssertionKey\": " + Json.createValue(pem) + ", \"clientAssertionKeyId\": \"" + kid + "\"";
    }

    /** The assertion of a token request, checked against the public key and the token endpoint as audience. */
    private SignedJWT verifiedAssertion(RecordedRequest request) throws Exception {
        assertThat(request.header("Authorization")).isEmpty();
        assertThat(request.formParameter("client_secret")).isEmpty();
        assertThat(request.formParameter("client_assertion_type"))
                .contains("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        SignedJWT jwt = SignedJWT.parse(request.formParameter("client_assertion").orElseThrow());
        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(conduit.server.url("/token"));
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(TestSystems.CLIENT_ID);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(TestSystems.CLIENT_ID);
        return jwt;
    }

    @Test
    void createWhenPrivateKeyJwtThenTokenTestSignsAssertionAndKeyNeverShown() throws Exception {
        conduit.server.enqueue(ScriptedResponse.okToken("t-1", 3600));

        Response response = resource.create(body(systemJson("crm", keyMembers("conduit-key-1"))),
                uri("connected-systems"));

        JsonObject view = (JsonObject) response.getEntity();
        assertThat(view.getString("clientAuthMethod")).isEqualTo("private_key_jwt");
        assertThat(view.getBoolean("clientAssertionKeySet")).isTrue();
        assertThat(view.getBoolean("clientSecretSet")).isFalse();
        assertThat(view.getString("clientAssertionKeyId")).isEqualTo("conduit-key-1");
        assertThat(view.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(view.toString()).doesNotContain(keyMaterial).doesNotContain("PRIVATE KEY");
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
        assertThat(verifiedAssertion(conduit.server.lastRequest()).getHeader().getKeyID()).isEqualTo("conduit-key-1");
    }

    @Test
    void updateWhenKeyLeftOutThenStoredKeyKeptAndNewKeyIdSent() throws Exception {
        conduit.server.setDefault(ScriptedResponse.okToken("t-2", 3600));
        resource.create(body(systemJson("crm", keyMembers("conduit-key-1"))), uri("connected-systems"));

        JsonObject view = resource.update("crm", body(systemJson("crm", ", \"clientAssertionKeyId\": \"conduit-key-2\"")),
                uri("connected-systems/crm"));

        assertThat(view.getBoolean("clientAssertionKeySet")).isTrue();
        assertThat(view.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(conduit.server.requestCount("/token")).isEqualTo(2);
        assertThat(verifiedAssertion(conduit.server.lastRequest()).getHeader().getKeyID()).isEqualTo("conduit-key-2");
    }

    @Test
    void createWhenPrivateKeyJwtWithoutKeyThenRefusedNamingClientAssertionKey() {
        assertThatThrownBy(() -> resource.create(body(systemJson("crm", "")), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("clientAssertionKey");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void createWhenKeyNotAPemThenRefusedNamingClientAssertionKeyWithoutEchoingIt() {
        String json = systemJson("crm", ", \"clientAssertionKey\": \"not-a-key-8d1f\"");

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("clientAssertionKey");
                    assertThat(e.getMessage()).doesNotContain("not-a-key-8d1f");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
    }

    @Test
    void exportWhenPrivateKeyJwtThenKeyNeverExportedAndRequiredOnImport() throws Exception {
        conduit.server.setDefault(ScriptedResponse.okToken("t-3", 3600));
        resource.create(body(systemJson("crm", keyMembers("conduit-key-1"))), uri("connected-systems"));
        JsonObject export = (JsonObject) conduit.transferResource.export(null).getEntity();

        assertThat(export.toString()).doesNotContain(keyMaterial).doesNotContain("PRIVATE KEY");
        assertThat(export.getJsonObject("package").getJsonArray("systems").getJsonObject(0)
                .getBoolean("clientAssertionKeyRequired")).isTrue();
        String customization = export.getString("customization");
        assertThat(customization).contains("\ncrm.clientAssertionKey=\n").contains("crm.clientAssertionKeyId=conduit-key-1")
                .doesNotContain("crm.clientSecret=");

        try (TestConduit target = new TestConduit()) {
            JsonObject withoutKey = Json.createObjectBuilder().add("package", export.getJsonObject("package"))
                    .add("customization", customization).build();
            assertThatThrownBy(() -> target.transfer.importPackage(withoutKey))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.problem().code()).isEqualTo(ErrorCode.MISSING_IMPORT_VALUES);
                        assertThat(e.problem().toJson().getJsonArray("missingKeys").getString(0))
                                .isEqualTo("crm.clientAssertionKey");
                    });
            assertThat(target.systems.findAll()).isEmpty();

            Properties filled = new Properties();
            filled.setProperty("crm.clientAssertionKey", pem);
            filled.setProperty("crm.tokenEndpoint", target.server.url("/token"));
            StringWriter text = new StringWriter();
            filled.store(text, null);
            target.server.setDefault(ScriptedResponse.okToken("t-4", 3600));
            target.transfer.importPackage(Json.createObjectBuilder().add("package", export.getJsonObject("package"))
                    .add("customization", customization + "\n" + text).build());

            assertThat(target.systems.find("crm").orElseThrow().client().assertionKey()).isPresent();
            assertThat(target.server.requestCount("/token")).isEqualTo(1);
            SignedJWT jwt = SignedJWT.parse(target.server.lastRequest().formParameter("client_assertion").orElseThrow());
            assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
        }
    }
}
