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
import dev.conduit.it.keycloak.KeycloakApi;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import dev.conduit.it.proxy.RecordingProxy.Exchange;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenarios 2, 3, 4 and 10 of issue 5: a person authorizes a per-user system in Chromium at Keycloak; Conduit uses,
 * refreshes (single-use rotating refresh tokens, 15 s access tokens), loses and revokes that person's token.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthorizationCodeIT {

    private static final String USERINFO = "userinfo";
    private static RecordingProxy keycloak;

    private final ConduitApi admin = ConduitApi.admin();
    private final ConduitApi alice = ConduitApi.alice();
    private final ConduitApi bob = ConduitApi.bob();
    private String system;

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

    @BeforeEach
    void registerSystem() {
        system = TestSystems.uniqueName("userinfo");
        Response saved = admin.createSystem(TestSystems.authorizationCode(system, keycloak));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        assertThat(saved.json().get("redirectUri").asText()).isEqualTo(ConduitApi.baseUrl() + "/oauth/callback");
        keycloak.clear();
    }

    @AfterEach
    void deleteSystem() {
        admin.deleteSystemIfPresent(system);
    }

    @Test
    void invokeWhenAliceAuthorizedInTheBrowserThenHerCallSucceedsAndBobGetsALinkOfHisOwn() {
        String aliceLink = UserAuthorization.link(alice, system);
        assertThat(URI.create(aliceLink).getQuery()).contains("code_challenge_method=S256");

        UserAuthorization.complete(alice, system, aliceLink, RealmClients.ALICE, RealmClients.ALICE_PASSWORD);

        assertThat(keycloak.exchanges(e -> e.isTokenRequest("authorization_code")))
                .singleElement().satisfies(e -> {
                    assertThat(e.status()).isEqualTo(200);
                    assertThat(e.form()).containsKey("code_verifier");
                });
        Response aliceCall = alice.invokeGet(system, USERINFO, Map.of());
        assertThat(aliceCall.json().get("status").asInt()).as(aliceCall.toString()).isEqualTo(200);
        assertThat(userInfo(aliceCall).get("preferred_username").asText()).isEqualTo("alice");
        long resourceCallsBefore = resourceCalls().size();

        Response bobCall = bob.invokeGet(system, USERINFO, Map.of());

        assertThat(bobCall.header("Content-Type")).startsWith("application/problem+json");
        assertThat(bobCall.json().get("code").asText()).as(bobCall.toString()).isEqualTo("AUTHORIZATION_REQUIRED");
        assertThat(bobCall.status()).isEqualTo(bobCall.json().get("status").asInt()).isIn(401, 403);
        String bobLink = bobCall.json().at("/authorizationLink/url").asText();
        assertThat(bobLink).startsWith(Keycloak.authorizationEndpoint());
        assertThat(state(bobLink)).isNotEqualTo(state(aliceLink));
        assertThat(resourceCalls()).as("nothing was sent on Bob's behalf").hasSize((int) resourceCallsBefore);
        assertThat(bob.authorization(system).json().get("status").asText()).isEqualTo("AUTHORIZATION_REQUIRED");
        assertThat(alice.authorization(system).json().get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(alice.authorization(system).body()).doesNotContain("eyJ");
    }

    @Test
    void invokeWhenTheAccessTokenExpiredThenConduitRefreshesAndStoresTheRotatedRefreshToken() {
        authorizeAlice();
        assertThat(alice.invokeGet(system, USERINFO, Map.of()).json().get("status").asInt()).isEqualTo(200);
        String userId = KeycloakApi.userId(RealmClients.ALICE);
        int refreshesBefore = refreshEvents(userId).size();

        JsonNode first = refreshThroughInvoke(userId, refreshesBefore + 1);
        JsonNode second = refreshThroughInvoke(userId, refreshesBefore + 2);

        assertThat(second.at("/details/refresh_token_id").asText())
                .as("the second refresh used the refresh token the first one returned (rotated and stored)")
                .isEqualTo(first.at("/details/updated_refresh_token_id").asText())
                .isNotEqualTo(first.at("/details/refresh_token_id").asText());
        List<Exchange> refreshes = keycloak.exchanges(e -> e.isTokenRequest("refresh_token"));
        assertThat(refreshes).hasSize(2).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        assertThat(refreshes.get(1).form().get("refresh_token"))
                .isEqualTo(refreshes.get(0).answer("refresh_token").orElseThrow())
                .isNotEqualTo(refreshes.get(0).form().get("refresh_token"));
        assertThat(KeycloakApi.events("REFRESH_TOKEN_ERROR", RealmClients.WEB_CLIENT))
                .noneSatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(userId));
    }

    @Test
    void invokeWhenTheKeycloakSessionWasEndedThenAuthorizationRequiredWithANewLinkThatWorks()
            throws InterruptedException {
        authorizeAlice();
        assertThat(alice.invokeGet(system, USERINFO, Map.of()).json().get("status").asInt()).isEqualTo(200);
        KeycloakApi.logout(RealmClients.ALICE);
        assertThat(KeycloakApi.sessions(RealmClients.ALICE)).isEmpty();
        keycloak.clear();
        // a rejected token younger than the renewal window is answered as it is, without a refresh
        TestSystems.waitOutTheRenewalWindow();

        Response call = alice.invokeGet(system, USERINFO, Map.of());

        assertThat(call.json().get("code").asText()).as(call.toString()).isEqualTo("AUTHORIZATION_REQUIRED");
        assertThat(keycloak.exchanges(e -> e.isTokenRequest("refresh_token")))
                .singleElement().satisfies(e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.answer("error")).contains("invalid_grant");
                });
        assertThat(alice.authorization(system).json().get("status").asText()).isEqualTo("AUTHORIZATION_REQUIRED");
        String newLink = call.json().at("/authorizationLink/url").asText();
        assertThat(newLink).startsWith(Keycloak.authorizationEndpoint());

        UserAuthorization.complete(alice, system, newLink, RealmClients.ALICE, RealmClients.ALICE_PASSWORD);

        Response again = alice.invokeGet(system, USERINFO, Map.of());
        assertThat(again.json().get("status").asInt()).as(again.toString()).isEqualTo(200);
        assertThat(userInfo(again).get("preferred_username").asText()).isEqualTo("alice");
    }

    @Test
    void disconnectWhenAliceWasAuthorizedThenKeycloakIntrospectionSaysHerTokenIsInactive() {
        authorizeAlice();
        assertThat(alice.invokeGet(system, USERINFO, Map.of()).json().get("status").asInt()).isEqualTo(200);
        List<Exchange> calls = resourceCalls();
        String accessToken = calls.get(calls.size() - 1).bearerToken().orElseThrow();
        JsonNode before = KeycloakApi.introspect(accessToken);
        assertThat(before.get("active").asBoolean()).as("introspection can say active").isTrue();
        assertThat(before.get("username").asText()).isEqualTo("alice");

        Response disconnect = alice.disconnect(system);

        assertThat(disconnect.status()).as(disconnect.toString()).isIn(200, 204);
        assertThat(keycloak.exchanges(e -> e.path().endsWith("/protocol/openid-connect/revoke")))
                .isNotEmpty().allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        assertThat(KeycloakApi.introspect(accessToken).get("active").asBoolean()).isFalse();
        assertThat(alice.authorization(system).json().get("status").asText()).isEqualTo("AUTHORIZATION_REQUIRED");
        assertThat(alice.invokeGet(system, USERINFO, Map.of()).json().get("code").asText())
                .isEqualTo("AUTHORIZATION_REQUIRED");
    }

    private void authorizeAlice() {
        UserAuthorization.authorize(alice, system, RealmClients.ALICE, RealmClients.ALICE_PASSWORD);
    }

    /**
     * Waits until the access token is due for renewal (Conduit refreshes ahead, by half a 15 s lifetime), invokes, and
     * returns Keycloak's REFRESH_TOKEN event for that refresh.
     */
    private JsonNode refreshThroughInvoke(String userId, int expectedRefreshes) {
        Instant expiresAt = Instant.parse(alice.authorization(system).json().get("expiresAt").asText());
        sleepUntil(expiresAt.plusSeconds(1));

        Response call = alice.invokeGet(system, USERINFO, Map.of());

        assertThat(call.json().get("status").asInt()).as(call.toString()).isEqualTo(200);
        assertThat(userInfo(call).get("preferred_username").asText()).isEqualTo("alice");
        Instant renewedUntil = Instant.parse(alice.authorization(system).json().get("expiresAt").asText());
        assertThat(renewedUntil).isAfter(expiresAt);
        List<JsonNode> events = refreshEvents(userId);
        assertThat(events).hasSize(expectedRefreshes);
        return events.get(0);
    }

    private static List<JsonNode> refreshEvents(String userId) {
        return KeycloakApi.events("REFRESH_TOKEN", RealmClients.WEB_CLIENT).stream()
                .filter(e -> userId.equals(e.get("userId").asText())).toList();
    }

    private static List<Exchange> resourceCalls() {
        return keycloak.exchanges(e -> e.path().endsWith("/protocol/openid-connect/" + USERINFO));
    }

    private static JsonNode userInfo(Response invoke) {
        try {
            return Http.JSON.readTree(invoke.json().get("body").asText());
        } catch (Exception e) {
            throw new AssertionError("user-info body is not JSON: " + invoke, e);
        }
    }

    private static String state(String link) {
        for (String pair : URI.create(link).getRawQuery().split("&")) {
            if (pair.startsWith("state=")) {
                return pair.substring(6);
            }
        }
        throw new AssertionError("no state in " + link);
    }

    private static void sleepUntil(Instant instant) {
        Duration wait = Duration.between(Instant.now(), instant);
        if (!wait.isNegative()) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
