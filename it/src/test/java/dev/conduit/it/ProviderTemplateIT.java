package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.conduit.UserAuthorization;
import dev.conduit.it.http.Http;
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

/**
 * The built-in Keycloak provider template, used end to end: an administrator registers systems with nothing but
 * {@code {template: "keycloak", variables: {baseUrl, realm}}}, the client and the scope; Conduit obtains a token with
 * client credentials from the real Keycloak, and a user authorizes the per-user one in Chromium.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProviderTemplateIT {

    private final ConduitApi admin = ConduitApi.admin();
    private final ConduitApi alice = ConduitApi.alice();
    private final List<String> created = new ArrayList<>();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConduitDeployment.war();
    }

    @AfterEach
    void deleteSystems() {
        created.forEach(admin::deleteSystemIfPresent);
    }

    @Test
    void createWhenKeycloakTemplateWithClientCredentialsThenTokenObtainedAndTheResourceServerAcceptsIt()
            throws Exception {
        String name = TestSystems.uniqueName("tpl-cc");
        Map<String, Object> request = fromTemplate(name, RealmClients.CC_CLIENT, RealmClients.CC_SECRET);
        request.put("scope", "orders.read");
        request.put("integrationBaseUrl", Keycloak.adminApi());

        Response saved = admin.createSystem(request);

        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        JsonNode system = saved.json();
        assertThat(system.at("/tokenTest/ok").asBoolean()).as(saved.toString()).isTrue();
        assertThat(system.at("/tokenTest/scope").asText()).isEqualTo("orders.read");
        assertThat(system.get("grantType").asText()).isEqualTo("client_credentials");
        assertThat(system.get("tokenEndpoint").asText()).isEqualTo(Keycloak.tokenEndpoint());
        assertThat(system.get("issuer").asText()).isEqualTo(Keycloak.issuer());
        assertThat(system.at("/template/id").asText()).isEqualTo("keycloak");
        assertThat(system.at("/template/version").asInt()).isEqualTo(1);
        assertThat(saved.body()).doesNotContain(RealmClients.CC_SECRET);

        Response call = admin.invokeGet(name, "users", Map.of("username", "alice", "exact", "true"));

        assertThat(call.json().get("status").asInt()).as(call.toString()).isEqualTo(200);
        JsonNode users = Http.JSON.readTree(call.json().get("body").asText());
        assertThat(users.get(0).get("username").asText()).isEqualTo("alice");
    }

    @Test
    void authorizeWhenKeycloakTemplateWithAuthorizationCodeThenAliceAuthorizesInChromiumAndHerCallSucceeds() {
        String name = TestSystems.uniqueName("tpl-web");
        Map<String, Object> request = fromTemplate(name, RealmClients.WEB_CLIENT, RealmClients.WEB_SECRET);
        request.put("grantType", "authorization_code");
        request.put("scope", "openid orders.read");
        request.put("integrationBaseUrl", Keycloak.issuer() + "/protocol/openid-connect");
        Response saved = admin.createSystem(request);
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        assertThat(saved.json().get("authorizationEndpoint").asText()).isEqualTo(Keycloak.authorizationEndpoint());

        UserAuthorization.authorize(alice, name, RealmClients.ALICE, RealmClients.ALICE_PASSWORD);
        Response call = alice.invokeGet(name, "userinfo", Map.of());

        assertThat(call.json().get("status").asInt()).as(call.toString()).isEqualTo(200);
        assertThat(call.json().get("body").asText()).contains("\"preferred_username\":\"alice\"");
        assertThat(alice.authorization(name).json().get("status").asText()).isEqualTo("AUTHORIZED");
    }

    private Map<String, Object> fromTemplate(String name, String clientId, String secret) {
        created.add(name);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("template", "keycloak");
        request.put("variables", Map.of("baseUrl", Keycloak.server().baseUri().toString(), "realm", Keycloak.REALM));
        request.put("clientId", clientId);
        request.put("clientSecret", secret);
        return request;
    }
}
