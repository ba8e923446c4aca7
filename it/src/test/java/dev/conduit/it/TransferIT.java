package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Scenario 7 of issue 5: export, then import into an empty Conduit with a customization file that supplies the
 * secrets; without them the import is refused, listing every missing key, and nothing is imported.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TransferIT {

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

    @Test
    void importWhenTheCustomizationSuppliesTheSecretsThenTheImportedSystemsWorkAndWithoutThemNothingIsImported() {
        String cc = TestSystems.uniqueName("export-cc");
        String user = TestSystems.uniqueName("export-user");
        assertThat(admin.createSystem(TestSystems.clientCredentials(cc, keycloak, RealmClients.CC_SECRET, "orders.read"))
                .status()).isEqualTo(201);
        assertThat(admin.createSystem(TestSystems.authorizationCode(user, keycloak)).status()).isEqualTo(201);
        try {
            Response export = admin.get("/api/export");
            assertThat(export.status()).as(export.toString()).isEqualTo(200);
            assertThat(export.body()).contains(cc, user)
                    .doesNotContain(RealmClients.CC_SECRET, RealmClients.WEB_SECRET, "eyJ");
            JsonNode exported = export.json();
            String customization = exported.get("customization").asText();
            assertThat(customization).contains(cc + ".clientSecret=", user + ".clientSecret=",
                    cc + ".tokenEndpoint=" + keycloak.url());
            deleteEverySystem();

            Response refused = admin.post("/api/import", importBody(exported, customization));

            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).isEqualTo("MISSING_IMPORT_VALUES");
            assertThat(texts(refused.json().get("missingKeys")))
                    .contains(cc + ".clientSecret", user + ".clientSecret");
            assertThat(admin.get("/api/connected-systems").json()).as("nothing imported").isEmpty();

            String filled = customization
                    .replace(cc + ".clientSecret=", cc + ".clientSecret=" + RealmClients.CC_SECRET)
                    .replace(user + ".clientSecret=", user + ".clientSecret=" + RealmClients.WEB_SECRET);
            Response imported = admin.post("/api/import", importBody(exported, filled));

            assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
            assertThat(imported.json().get("imported")).extracting(n -> n.get("name").asText())
                    .containsExactlyInAnyOrder(cc, user);
            assertThat(admin.get("/api/connected-systems").json()).hasSize(2);
            Response test = admin.test(cc);
            assertThat(test.json().at("/tokenTest/ok").asBoolean()).as(test.toString()).isTrue();
            Response call = admin.invokeGet(cc, "users", Map.of());
            assertThat(call.json().get("status").asInt()).as(call.toString()).isEqualTo(200);
            assertThat(admin.system(user).json().get("clientSecretSet").asBoolean()).isTrue();
        } finally {
            admin.deleteSystemIfPresent(cc);
            admin.deleteSystemIfPresent(user);
        }
    }

    /** An empty Conduit: the other scenarios clean up after themselves, this removes anything left over. */
    private void deleteEverySystem() {
        for (JsonNode system : admin.get("/api/connected-systems").json()) {
            admin.deleteSystemIfPresent(system.get("name").asText());
        }
        assertThat(admin.get("/api/connected-systems").json()).isEmpty();
    }

    private static Map<String, Object> importBody(JsonNode exported, String customization) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("package", exported.get("package"));
        body.put("customization", customization);
        return body;
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
