package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.KeycloakApi;
import dev.conduit.it.keycloak.RealmClients;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 6: private_key_jwt (RFC 7523 section 2.2) against Keycloak's client {@code conduit-jwt}, whose authenticator is
 * "Signed JWT" with the certificate of {@code src/test/resources/keys/conduit-jwt.key}. Conduit calls Keycloak's token
 * endpoint directly: the assertion's {@code aud} is the token endpoint URL, which Keycloak checks exactly.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PrivateKeyJwtIT {

    private final ConduitApi admin = ConduitApi.admin();
    private final List<String> created = new ArrayList<>();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConduitDeployment.war();
    }

    @AfterEach
    void deleteSystems() {
        created.forEach(admin::deleteSystemIfPresent);
    }

    private static String registeredKey() throws IOException {
        try (InputStream in = PrivateKeyJwtIT.class.getResourceAsStream(RealmClients.JWT_KEY_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private Map<String, Object> signedJwtSystem(String name, String key) {
        created.add(name);
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("name", name);
        system.put("grantType", "client_credentials");
        system.put("tokenEndpoint", Keycloak.tokenEndpoint());
        system.put("integrationBaseUrl", Keycloak.server().baseUri() + "/admin/realms/" + Keycloak.REALM);
        system.put("clientId", RealmClients.JWT_CLIENT);
        system.put("clientAuthMethod", "private_key_jwt");
        system.put("clientAssertionKey", key);
        system.put("scope", "orders.read");
        system.put("retryPolicy", Map.of("maxAttempts", 1, "maxWaitSeconds", 5));
        return system;
    }

    @Test
    void testWhenTheSystemSignsItsClientAssertionThenKeycloakIssuesTokensAndTheKeyIsNeverShown() throws Exception {
        String name = TestSystems.uniqueName("jwt");
        String key = registeredKey();
        String keyLine = key.lines().skip(2).findFirst().orElseThrow();
        int loginsBefore = KeycloakApi.events("CLIENT_LOGIN", RealmClients.JWT_CLIENT).size();

        Response saved = admin.createSystem(signedJwtSystem(name, key));
        // a second token request: each assertion has a fresh jti, which Keycloak requires
        Response test = admin.test(name);

        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        assertThat(saved.json().at("/tokenTest/ok").asBoolean()).as(saved.toString()).isTrue();
        assertThat(test.json().at("/tokenTest/ok").asBoolean()).as(test.toString()).isTrue();
        assertThat(saved.json().get("clientAssertionKeySet").asBoolean()).isTrue();
        assertThat(saved.json().get("clientSecretSet").asBoolean()).isFalse();
        assertThat(saved.body()).doesNotContain(keyLine).doesNotContain("PRIVATE KEY");
        assertThat(KeycloakApi.events("CLIENT_LOGIN", RealmClients.JWT_CLIENT)).hasSize(loginsBefore + 2);
        Response call = admin.invokeGet(name, "users", Map.of("username", "alice", "exact", "true"));
        assertThat(call.json().get("status").asInt()).as(call.toString()).isEqualTo(200);

        Response export = admin.get("/api/export");
        assertThat(export.body()).doesNotContain(keyLine).doesNotContain("PRIVATE KEY");
        assertThat(export.json().get("customization").asText()).contains("\n" + name + ".clientAssertionKey=\n");
    }

    @Test
    void createWhenDiscoveredFromTheIssuerWithAKeyThenPrivateKeyJwtIsChosenAndWorks() throws Exception {
        String name = TestSystems.uniqueName("jwt-discovered");
        Map<String, Object> system = signedJwtSystem(name, registeredKey());
        system.remove("tokenEndpoint");
        system.remove("clientAuthMethod");
        system.put("issuer", Keycloak.issuer());

        Response saved = admin.createSystem(system);

        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        assertThat(saved.json().get("clientAuthMethod").asText()).isEqualTo("private_key_jwt");
        assertThat(saved.json().get("tokenEndpoint").asText()).isEqualTo(Keycloak.tokenEndpoint());
        assertThat(saved.json().at("/tokenTest/ok").asBoolean()).as(saved.toString()).isTrue();
    }

    @Test
    void testWhenTheKeyIsNotTheRegisteredOneThenKeycloakRefusesTheClientAndTheReasonIsShown() throws Exception {
        String name = TestSystems.uniqueName("jwt-wrong");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String otherKey = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";

        Response saved = admin.createSystem(signedJwtSystem(name, otherKey));

        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        assertThat(saved.json().at("/tokenTest/ok").asBoolean()).isFalse();
        assertThat(saved.json().at("/tokenTest/code").asText()).as(saved.toString()).isEqualTo("INVALID_CLIENT");
        assertThat(admin.system(name).json().get("status").asText()).isEqualTo("ERROR");
    }
}
