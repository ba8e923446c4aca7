package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.http.Http;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.KeycloakApi;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import dev.conduit.it.proxy.RecordingProxy.Exchange;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A grant plug-in of its own jar (module {@code grant-token-exchange-example}, built against the api jar alone, an
 * {@code AcquiringGrant} and a {@code ValidatingGrant}) is added to the unchanged WAR, found through ServiceLoader, and
 * used through the same REST API to obtain an RFC 8693 token-exchange token from Keycloak; its own validation refuses a
 * system it cannot serve.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CustomGrantIT {

    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    private static RecordingProxy keycloak;

    private final ConduitApi admin = ConduitApi.admin();

    @Deployment(testable = false)
    static WebArchive deployment() {
        File jar = new File(System.getProperty("grant.plugin.jar", "target/deployments/token-exchange-grant.jar"));
        JavaArchive plugin = ShrinkWrap.create(ZipImporter.class, jar.getName()).importFrom(jar).as(JavaArchive.class);
        assertThat(plugin.contains("META-INF/services/dev.conduit.api.grant.Grant")).isTrue();
        return ConduitDeployment.war().addAsLibrary(plugin);
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
    void invokeWhenTheSystemUsesThePluggedInTokenExchangeGrantThenKeycloakExchangesAndTheResourceServerAccepts() {
        String name = TestSystems.uniqueName("exchange");
        Map<String, Object> system = TestSystems.clientCredentials(name, keycloak, RealmClients.EXCHANGE_SECRET,
                "orders.read");
        system.put("grantType", TOKEN_EXCHANGE);
        system.put("clientId", RealmClients.EXCHANGE_CLIENT);
        int exchangesBefore = KeycloakApi.events("TOKEN_EXCHANGE", RealmClients.EXCHANGE_CLIENT).size();
        try {
            Response saved = admin.createSystem(system);
            assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
            assertThat(saved.json().get("grantType").asText()).isEqualTo(TOKEN_EXCHANGE);
            assertThat(saved.json().get("tokenScope").asText()).isEqualTo("PER_APP");
            keycloak.clear();

            Response test = admin.test(name);

            assertThat(test.json().at("/tokenTest/ok").asBoolean()).as(test.toString()).isTrue();
            assertThat(test.json().at("/tokenTest/scope").asText()).isEqualTo("orders.read");
            List<Exchange> tokenRequests = keycloak.exchanges(Exchange::isTokenRequest);
            assertThat(tokenRequests).extracting(e -> e.form().get("grant_type"))
                    .containsExactly("client_credentials", TOKEN_EXCHANGE);
            assertThat(tokenRequests).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
            assertThat(tokenRequests.get(1).form().get("subject_token"))
                    .isEqualTo(tokenRequests.get(0).answer("access_token").orElseThrow());
            String exchanged = tokenRequests.get(1).answer("access_token").orElseThrow();
            Response call = admin.invokeGet(name, "users", Map.of("username", "bob", "exact", "true"));
            assertThat(call.json().get("status").asInt()).as(call.toString()).isEqualTo(200);
            assertThat(call.json().get("body").asText()).contains("\"username\":\"bob\"");
            List<Exchange> resourceCalls = keycloak.exchanges(e -> e.path().startsWith("/admin/realms/"));
            assertThat(resourceCalls).singleElement().satisfies(e -> assertThat(e.bearerToken()).contains(exchanged));
            JsonNode claims = Http.jwtClaims(exchanged);
            assertThat(claims.get("scope").asText().split(" ")).containsExactly("orders.read");
            assertThat(claims.get("aud").toString()).contains(RealmClients.ORDERS_API);
            assertThat(KeycloakApi.events("TOKEN_EXCHANGE", RealmClients.EXCHANGE_CLIENT))
                    .hasSizeGreaterThan(exchangesBefore);
        } finally {
            admin.deleteSystemIfPresent(name);
        }
    }

    @Test
    void createWhenThePluggedInGrantCannotServeTheSystemThenItsOwnValidationRefusesAndNothingIsSaved() {
        String name = TestSystems.uniqueName("exchange-nosecret");
        Map<String, Object> system = TestSystems.clientCredentials(name, keycloak, RealmClients.EXCHANGE_SECRET,
                "orders.read");
        system.put("grantType", TOKEN_EXCHANGE);
        system.put("clientId", RealmClients.EXCHANGE_CLIENT);
        system.remove("clientSecret");
        keycloak.clear();
        try {
            Response refused = admin.createSystem(system);

            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).isEqualTo("INVALID_CONFIGURATION");
            assertThat(refused.json().get("field").asText()).isEqualTo("clientSecret");
            assertThat(admin.system(name).status()).isEqualTo(404);
            assertThat(keycloak.exchanges(Exchange::isTokenRequest)).isEmpty();
        } finally {
            admin.deleteSystemIfPresent(name);
        }
    }
}
