package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.http.Http;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit trail on the running server: administrative changes against a real Keycloak, a refused login, read back
 * through {@code GET /api/audit} with filters and paging, and never a secret in it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuditIT {

    private static RecordingProxy keycloak;

    private final ConduitApi admin = ConduitApi.admin();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConduitDeployment.war();
    }

    @BeforeAll
    static void startProxy() {
        keycloak = RecordingProxy.start(Keycloak.server().baseUri());
    }

    @AfterAll
    static void stopProxy() {
        keycloak.close();
    }

    private JsonNode audit(String query) {
        Response answer = admin.get("/api/audit?" + query);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void auditWhenAdministratorCreatesEditsTestsAndDeletesThenEachIsRecordedWithFieldsAndNoSecret() {
        String name = TestSystems.uniqueName("audited");
        Map<String, Object> system = TestSystems.clientCredentials(name, keycloak, RealmClients.CC_SECRET,
                "orders.read");
        assertThat(admin.createSystem(system).status()).isEqualTo(201);
        system.put("description", "edited");
        Response edited = admin.updateSystem(name, system);
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        // the same secret sent again is no change
        assertThat(edited.json().get("changed").toString()).isEqualTo("[\"description\"]");
        assertThat(admin.test(name).status()).isEqualTo(200);
        assertThat(admin.deleteSystem(name).status()).isEqualTo(204);
        assertThat(admin.deleteSystem(name).status()).isEqualTo(404);

        JsonNode page = audit("system=" + name + "&size=10");

        assertThat(page.get("total").asInt()).isEqualTo(5);
        assertThat(page.get("page").asInt()).isZero();
        assertThat(page.get("size").asInt()).isEqualTo(10);
        List<String> actions = new ArrayList<>();
        page.get("items").forEach(item -> actions.add(item.get("action").asText() + ":" + item.get("outcome").asText()));
        assertThat(actions).containsExactly("DELETE:FAILURE", "DELETE:SUCCESS", "TEST:SUCCESS", "UPDATE:SUCCESS",
                "CREATE:SUCCESS");
        JsonNode update = page.get("items").get(3);
        assertThat(update.get("actor").asText()).isEqualTo("admin");
        assertThat(update.get("system").asText()).isEqualTo(name);
        assertThat(update.get("at").asText()).isNotBlank();
        assertThat(update.get("details").get("fields").asText()).contains("description");
        assertThat(page.get("items").get(0).get("details").get("code").asText()).isEqualTo("UNKNOWN_SYSTEM");
        assertThat(page.toString()).doesNotContain(RealmClients.CC_SECRET);

        JsonNode onlyUpdates = audit("system=" + name + "&action=UPDATE");
        assertThat(onlyUpdates.get("total").asInt()).isEqualTo(1);
        JsonNode secondPage = audit("system=" + name + "&size=2&page=2");
        assertThat(secondPage.get("items")).hasSize(1);
        assertThat(secondPage.get("items").get(0).get("action").asText()).isEqualTo("CREATE");
    }

    @Test
    void auditWhenLoginRefusedThenRecordedWithTheUserNameButNotThePassword() {
        String user = TestSystems.uniqueName("intruder");
        String password = "wrong-password-" + user;
        Response refused = Http.send(Http.request(ConduitApi.baseUrl() + "/api/connected-systems")
                .header("Authorization", Http.basic(user, password)).GET().build());
        assertThat(refused.status()).isEqualTo(401);

        JsonNode page = audit("action=LOGIN_FAILED&actor=" + URLEncoder.encode(user, StandardCharsets.UTF_8));

        assertThat(page.get("total").asInt()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("outcome").asText()).isEqualTo("FAILURE");
        assertThat(page.toString()).doesNotContain(password);
    }

    @Test
    void auditWhenCalledByAUserWithoutTheAdminRoleThenForbidden() {
        Response answer = ConduitApi.alice().get("/api/audit");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().get("code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void auditWhenActionUnknownThenInvalidRequestNamingAction() {
        Response answer = admin.get("/api/audit?action=EXPLODE");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(answer.json().get("field").asText()).isEqualTo("action");
    }
}
