package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.RealmClients;
import java.util.ArrayList;
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

/** Issue 6: a system saved with Keycloak's issuer URL alone gets its endpoints from Keycloak's metadata. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DiscoveryIT {

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

    private Map<String, Object> byIssuer(String name, String issuer) {
        created.add(name);
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("name", name);
        system.put("grantType", "client_credentials");
        system.put("issuer", issuer);
        system.put("integrationBaseUrl", Keycloak.server().baseUri() + "/admin/realms/" + Keycloak.REALM);
        system.put("clientId", RealmClients.CC_CLIENT);
        system.put("clientSecret", RealmClients.CC_SECRET);
        system.put("scope", "orders.read");
        return system;
    }

    @Test
    void createWhenOnlyTheIssuerIsGivenThenKeycloaksEndpointsAreFilledAndATokenIsObtained() {
        String name = TestSystems.uniqueName("discovered");

        Response saved = admin.createSystem(byIssuer(name, Keycloak.issuer()));

        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        JsonNode system = saved.json();
        assertThat(system.get("issuer").asText()).isEqualTo(Keycloak.issuer());
        assertThat(system.get("tokenEndpoint").asText()).isEqualTo(Keycloak.tokenEndpoint());
        assertThat(system.get("authorizationEndpoint").asText()).isEqualTo(Keycloak.authorizationEndpoint());
        assertThat(system.get("revocationEndpoint").asText()).isEqualTo(Keycloak.revocationEndpoint());
        assertThat(system.get("introspectionEndpoint").asText()).isEqualTo(Keycloak.introspectionEndpoint());
        assertThat(system.get("issuerParameterSupported").asBoolean()).as("Keycloak sends RFC 9207 iss").isTrue();
        assertThat(system.get("clientAuthMethod").asText()).isEqualTo("client_secret_basic");
        assertThat(system.at("/tokenTest/ok").asBoolean()).as(saved.toString()).isTrue();
        Response call = admin.invokeGet(name, "users", Map.of("username", "alice", "exact", "true"));
        assertThat(call.json().get("status").asInt()).as(call.toString()).isEqualTo(200);
    }

    @Test
    void createWhenTheIssuerIsSpelledDifferentlyFromKeycloaksThenIssuerMismatchAndNothingIsSaved() {
        String name = TestSystems.uniqueName("mismatch");
        // the same server, reached by address: its metadata names http://localhost:PORT/realms/conduit
        String spelledDifferently = Keycloak.issuer().replace("://localhost:", "://127.0.0.1:");
        assertThat(spelledDifferently).isNotEqualTo(Keycloak.issuer());

        Response saved = admin.createSystem(byIssuer(name, spelledDifferently));

        assertThat(saved.status()).as(saved.toString()).isEqualTo(400);
        assertThat(saved.header("Content-Type")).startsWith("application/problem+json");
        assertThat(saved.json().get("code").asText()).isEqualTo("ISSUER_MISMATCH");
        assertThat(saved.json().get("field").asText()).isEqualTo("issuer");
        assertThat(saved.json().get("detail").asText()).contains(Keycloak.issuer()).contains(spelledDifferently);
        assertThat(admin.system(name).status()).isEqualTo(404);
    }
}
