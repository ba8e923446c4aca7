package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.ServerConfiguration;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.http.Http;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import dev.conduit.it.proxy.RecordingProxy.Exchange;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 6: a connected system declared in MicroProfile Config ({@code conduit.systems.<name>.*} server.xml variables,
 * written while the server runs) works against Keycloak, is read-only through the REST API, and resolves its secret
 * reference at each use.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeclaredSystemIT {

    private static final String SECRET_KEY = "it.declared.client-secret";
    private static final ServerConfiguration CONFIG = ServerConfiguration.dropin("it-declared-systems.xml");
    private static final String NAME = TestSystems.uniqueName("declared");
    private static final String PREFIX = "conduit.systems." + NAME + ".";

    private static RecordingProxy keycloak;

    private final ConduitApi admin = ConduitApi.admin();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConduitDeployment.war();
    }

    @BeforeAll
    static void declareSystem() {
        keycloak = RecordingProxy.start(Keycloak.server().baseUri());
        declare(RealmClients.CC_SECRET);
        Awaitility.await("the declared system is served").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> ConduitApi.admin().system(NAME).status() == 200);
    }

    @AfterAll
    static void removeDeclaration() {
        CONFIG.remove();
        keycloak.close();
    }

    /** The system's properties; the client secret is a reference to another property, resolved at each use. */
    private static void declare(String secret) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put(PREFIX + "grant-type", "client_credentials");
        variables.put(PREFIX + "token-endpoint", keycloak.url() + "/realms/" + Keycloak.REALM
                + "/protocol/openid-connect/token");
        variables.put(PREFIX + "integration-base-url", keycloak.url() + "/admin/realms/" + Keycloak.REALM);
        variables.put(PREFIX + "client-id", RealmClients.CC_CLIENT);
        variables.put(PREFIX + "client-secret", "${" + SECRET_KEY + "}");
        variables.put(PREFIX + "scope", "orders.read");
        variables.put(PREFIX + "max-attempts", "1");
        variables.put(SECRET_KEY, secret);
        CONFIG.write(variables);
    }

    @Test
    void invokeWhenSystemDeclaredInConfigurationThenKeycloakAcceptsItsTokenAndTheApiRefusesEdits() throws Exception {
        Response read = admin.system(NAME);
        assertThat(read.json().get("source").asText()).isEqualTo("configuration");
        assertThat(read.json().get("readOnly").asBoolean()).isTrue();
        assertThat(read.json().get("clientSecretSet").asBoolean()).isTrue();
        assertThat(read.body()).doesNotContain(RealmClients.CC_SECRET);
        keycloak.clear();

        Response call = admin.invokeGet(NAME, "users", Map.of("username", "alice", "exact", "true"));

        assertThat(call.json().get("status").asInt()).as(call.toString()).isEqualTo(200);
        assertThat(Http.JSON.readTree(call.json().get("body").asText()).get(0).get("username").asText())
                .isEqualTo("alice");
        // the token came from Keycloak for the declared client id and secret (now, or in the other test)
        List<Exchange> resourceCalls = keycloak.exchanges(e -> e.path().startsWith("/admin/realms/"));
        assertThat(resourceCalls).extracting(Exchange::status).containsExactly(200);
        JsonNode claims = Http.jwtClaims(resourceCalls.get(0).bearerToken().orElseThrow());
        assertThat(claims.get("azp").asText()).isEqualTo(RealmClients.CC_CLIENT);
        assertThat(claims.get("scope").asText().split(" ")).containsExactly("orders.read");
        assertThat(keycloak.count(e -> e.isTokenRequest("client_credentials"))).isLessThanOrEqualTo(1);

        Response put = admin.updateSystem(NAME, Map.of("grantType", "client_credentials", "clientId", "other"));
        assertReadOnly(put);
        assertReadOnly(admin.deleteSystem(NAME));
        Map<String, Object> copy = TestSystems.clientCredentials(NAME, keycloak, RealmClients.CC_SECRET, "orders.read");
        assertReadOnly(admin.createSystem(copy));
        assertThat(admin.system(NAME).json().get("clientId").asText()).isEqualTo(RealmClients.CC_CLIENT);

        JsonNode export = admin.get("/api/export").json();
        assertThat(export.at("/package/systems").findValuesAsText("name")).doesNotContain(NAME);
        assertThat(export.get("notExported").findValuesAsText("name")).contains(NAME);
        assertThat(export.toString()).doesNotContain(RealmClients.CC_SECRET);
    }

    @Test
    void testWhenTheReferencedSecretChangesThenTheNextTokenRequestUsesItWithoutARestart() {
        try {
            declare("not-the-secret");
            AtomicReference<JsonNode> failed = new AtomicReference<>();
            Awaitility.await("the changed secret is used").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        Response test = admin.test(NAME);
                        if (isOverlappingChange(test)) {
                            return false;
                        }
                        failed.set(test.json().get("tokenTest"));
                        return !failed.get().get("ok").asBoolean();
                    });
            assertThat(failed.get().get("code").asText()).isEqualTo("INVALID_CLIENT");
            assertThat(failed.get().get("error").asText()).isEqualTo("unauthorized_client");
            assertThat(admin.system(NAME).json().get("status").asText()).isEqualTo("ERROR");
        } finally {
            declare(RealmClients.CC_SECRET);
        }
        Awaitility.await("the corrected secret is used").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Response test = admin.test(NAME);
                    return !isOverlappingChange(test) && test.json().at("/tokenTest/ok").asBoolean();
                });
        assertThat(admin.system(NAME).json().get("status").asText()).isEqualTo("OK");
    }

    /**
     * A token request that was under way while the configuration changed: its token came from the old credentials, so
     * Conduit neither keeps it nor reports it as the test's outcome ({@code 409 CONCURRENT_MODIFICATION}); the next
     * poll tests again.
     */
    private static boolean isOverlappingChange(Response test) {
        return test.status() == 409 && test.body().contains("CONCURRENT_MODIFICATION");
    }

    private static void assertReadOnly(Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("code").asText()).isEqualTo("READ_ONLY_SYSTEM");
        assertThat(response.json().get("field").asText()).isEqualTo(PREFIX + "*");
        assertThat(response.json().get("detail").asText()).contains(PREFIX + "client-id");
    }
}
