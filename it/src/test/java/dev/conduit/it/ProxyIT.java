package dev.conduit.it;

import static dev.conduit.it.http.Http.fields;
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
import dev.conduit.it.proxy.RecordingProxy.Exchange;
import java.net.http.HttpRequest;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pass-through proxy on the real server: a client-credentials system on Keycloak, whose admin REST API is the
 * resource server (it checks every token), called through {@code /api/connected-systems/{name}/proxy/...} by a user
 * with HTTP Basic. Keycloak's answer comes back as it is; the caller's login never reaches it; a revoked token is
 * renewed once; a path that climbs out of the base URL and a form sent cross-site are refused before any request.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProxyIT {

    private static final ConduitApi ALICE = ConduitApi.alice();
    private static RecordingProxy keycloak;
    private static String system;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConduitDeployment.war();
    }

    @BeforeAll
    static void registerSystem() {
        keycloak = RecordingProxy.start(Keycloak.server().baseUri());
        system = TestSystems.uniqueName("proxy");
        Response saved = ConduitApi.admin().createSystem(TestSystems.clientCredentials(system, keycloak,
                RealmClients.CC_SECRET, "orders.read"));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
    }

    @AfterAll
    static void deleteSystem() {
        ConduitApi.admin().deleteSystemIfPresent(system);
        keycloak.close();
    }

    @BeforeEach
    void forgetEarlierExchanges() {
        keycloak.clear();
    }

    @Test
    void proxyWhenGetWithQueryThenKeycloakAnswersAsItIsWithTheSystemsTokenNotTheCallersLogin() throws Exception {
        Response answer = Http.send(asAlice(proxyUrl("users?username=alice&exact=true")).GET().build());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode users = answer.json();
        assertThat(users).hasSize(1);
        assertThat(users.get(0).get("username").asText()).isEqualTo("alice");
        List<Exchange> calls = keycloak.exchanges(e -> e.path().startsWith("/admin/realms/"));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).method()).isEqualTo("GET");
        assertThat(calls.get(0).path()).isEqualTo("/admin/realms/" + Keycloak.REALM + "/users?username=alice&exact=true");
        assertThat(calls.get(0).authorization()).startsWith("Bearer ").doesNotContain(ALICE.password());
        JsonNode claims = Http.jwtClaims(calls.get(0).bearerToken().orElseThrow());
        assertThat(claims.get("azp").asText()).isEqualTo(RealmClients.CC_CLIENT);
    }

    @Test
    void proxyWhenKeycloakRejectsThenItsStatusAndBodyComeBackAsTheyAre() {
        // view-users only: creating a user is forbidden; a 403 renews the token once, then the answer is passed on
        Response answer = Http.send(asAlice(proxyUrl("users")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"mallory\"}")).build());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
        assertThat(answer.header("Content-Type")).doesNotContain("problem+json");
        List<Exchange> calls = keycloak.exchanges(e -> e.path().startsWith("/admin/realms/"));
        assertThat(calls).extracting(Exchange::status).allMatch(status -> status == 403);
        assertThat(calls).hasSizeBetween(1, 2);
    }

    @Test
    void proxyWhenTheTokenWasRevokedThenRenewedAndTheRequestSentOnceMore() throws Exception {
        assertThat(Http.send(asAlice(proxyUrl("users")).GET().build()).status()).isEqualTo(200);
        String firstToken = keycloak.exchanges(e -> e.path().startsWith("/admin/realms/")).get(0).bearerToken()
                .orElseThrow();
        Response revoke = Http.send(Http.form(Keycloak.revocationEndpoint(),
                        fields("token", firstToken, "token_type_hint", "access_token"))
                .header("Authorization", Http.oauthClientBasic(RealmClients.CC_CLIENT, RealmClients.CC_SECRET)).build());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
        TestSystems.waitOutTheRenewalWindow();
        keycloak.clear();

        Response answer = Http.send(asAlice(proxyUrl("users?max=1")).GET().build());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(keycloak.count(e -> e.isTokenRequest("client_credentials"))).as("token requests").isEqualTo(1);
        List<Exchange> calls = keycloak.exchanges(e -> e.path().startsWith("/admin/realms/"));
        assertThat(calls).extracting(Exchange::status).containsExactly(401, 200);
        assertThat(calls.get(0).bearerToken()).contains(firstToken);
        assertThat(calls.get(1).bearerToken()).isNotEqualTo(calls.get(0).bearerToken());
    }

    @Test
    void proxyWhenPathClimbsOutOfTheBaseUrlThenPathOutsideBaseUrlAndNothingSent() {
        for (String path : List.of("users/../../master/users", "/" + "localhost/admin/realms/master/users")) {
            Response answer = Http.send(asAlice(proxyUrl(path)).GET().build());

            assertThat(answer.status()).as(path + ": " + answer).isEqualTo(400);
            assertThat(answer.json().get("code").asText()).isEqualTo("PATH_OUTSIDE_BASE_URL");
            assertThat(answer.json().get("field").asText()).isEqualTo("path");
            assertThat(answer.json().get("hint").asText()).isNotBlank();
        }
        assertThat(keycloak.count(e -> true)).as("no request reached Keycloak").isZero();
    }

    @Test
    void proxyWhenAFormIsPostedThenCrossSiteRequestAndNothingSent() {
        Response answer = Http.send(asAlice(proxyUrl("users")).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("username=mallory"))
                .build());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
        assertThat(answer.json().get("code").asText()).isEqualTo("CROSS_SITE_REQUEST");
        assertThat(keycloak.count(e -> true)).as("no request reached Keycloak").isZero();
    }

    private static String proxyUrl(String path) {
        return ConduitApi.baseUrl() + "/api/connected-systems/" + system + "/proxy/" + path;
    }

    private static HttpRequest.Builder asAlice(String url) {
        return Http.request(url).header("Authorization", Http.basic(ALICE.user(), ALICE.password()));
    }
}
