package dev.conduit.it;

import static dev.conduit.it.http.Http.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.ServerConfiguration;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.conduit.UserAuthorization;
import dev.conduit.it.http.Http;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.KeycloakApi;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import dev.conduit.it.proxy.RecordingProxy.Exchange;
import dev.conduit.it.restclient.KeycloakUsersClient;
import dev.conduit.it.restclient.TypedClients;
import dev.conduit.it.restclient.UserInfoClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 6: an application's jar added to the WAR calls Keycloak through ordinary MicroProfile Rest Client interfaces
 * that name their connected systems ({@link TypedClients}). The per-app client carries the application's token and
 * renews a revoked one once; the per-user client carries the caller's own token, and a caller who has not authorized
 * gets {@code AuthorizationRequiredException} with a link of their own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TypedRestClientIT {

    private static final String OIDC = "/realms/" + Keycloak.REALM + "/protocol/openid-connect";
    private static final String BEANS_XML = """
            <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="all"/>
            """;
    private static final ServerConfiguration CONFIG = ServerConfiguration.dropin("it-typed-clients.xml");
    /** Started before the deployment, since the clients' base URLs point at it. */
    private static final RecordingProxy KEYCLOAK = startProxyAndConfigureClients();

    private final ConduitApi alice = ConduitApi.alice();
    private final ConduitApi bob = ConduitApi.bob();

    @Deployment(testable = false)
    static WebArchive deployment() {
        JavaArchive application = ShrinkWrap.create(JavaArchive.class, "typed-clients.jar")
                .addClasses(KeycloakUsersClient.class, UserInfoClient.class, TypedClients.class)
                .addAsManifestResource(new StringAsset(BEANS_XML), "beans.xml");
        return ConduitDeployment.war().addAsLibrary(application);
    }

    private static RecordingProxy startProxyAndConfigureClients() {
        RecordingProxy proxy = RecordingProxy.start(Keycloak.server().baseUri());
        CONFIG.write(Map.of(
                TypedClients.ADMIN_SYSTEM + "/mp-rest/url", proxy.url() + "/admin/realms/" + Keycloak.REALM,
                TypedClients.USERINFO_SYSTEM + "/mp-rest/url", proxy.url() + OIDC));
        return proxy;
    }

    /** The systems the clients name; fixed names, so whatever an earlier run left is removed first. */
    @BeforeAll
    static void registerSystems() {
        ConduitApi admin = ConduitApi.admin();
        admin.deleteSystemIfPresent(TypedClients.ADMIN_SYSTEM);
        admin.deleteSystemIfPresent(TypedClients.USERINFO_SYSTEM);
        Response perApp = admin.createSystem(TestSystems.clientCredentials(TypedClients.ADMIN_SYSTEM, KEYCLOAK,
                RealmClients.CC_SECRET, "orders.read"));
        assertThat(perApp.status()).as(perApp.toString()).isEqualTo(201);
        Response perUser = admin.createSystem(TestSystems.authorizationCode(TypedClients.USERINFO_SYSTEM, KEYCLOAK));
        assertThat(perUser.status()).as(perUser.toString()).isEqualTo(201);
    }

    @AfterAll
    static void cleanUp() {
        ConduitApi admin = ConduitApi.admin();
        admin.deleteSystemIfPresent(TypedClients.ADMIN_SYSTEM);
        admin.deleteSystemIfPresent(TypedClients.USERINFO_SYSTEM);
        CONFIG.remove();
        KEYCLOAK.close();
    }

    private static List<Exchange> adminCalls() {
        return KEYCLOAK.exchanges(e -> e.path().startsWith("/admin/realms/"));
    }

    /** The requests Conduit's egress tunnel sent on so far: each typed call (and its retry) is one. */
    private long tunnelled() {
        Response count = alice.get("/api/typed/tunnelled");
        assertThat(count.status()).as(count.toString()).isEqualTo(200);
        return Long.parseLong(count.body().strip());
    }

    @Test
    void typedClientWhenPerAppSystemThenTheApplicationTokenIsSentAndARevokedOneIsRenewedOnce() throws Exception {
        KEYCLOAK.clear();
        long tunnelledBefore = tunnelled();
        Response first = alice.get("/api/typed/users?username=alice");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(tunnelled() - tunnelledBefore).as("requests through the egress tunnel").isEqualTo(1);
        assertThat(first.json().get(0).get("username").asText()).isEqualTo("alice");
        String firstToken = adminCalls().get(0).bearerToken().orElseThrow();
        assertThat(Http.jwtClaims(firstToken).get("azp").asText()).isEqualTo(RealmClients.CC_CLIENT);
        Response revoke = Http.send(Http.form(Keycloak.revocationEndpoint(),
                        fields("token", firstToken, "token_type_hint", "access_token"))
                .header("Authorization", Http.oauthClientBasic(RealmClients.CC_CLIENT, RealmClients.CC_SECRET)).build());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
        assertThat(KeycloakApi.adminGetWith(firstToken, "/users").status()).as("revoked at Keycloak").isEqualTo(401);
        TestSystems.waitOutTheRenewalWindow();
        KEYCLOAK.clear();
        long tunnelledBeforeSecond = tunnelled();

        Response second = alice.get("/api/typed/users?username=bob");

        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.json().get(0).get("username").asText()).isEqualTo("bob");
        assertThat(KEYCLOAK.count(e -> e.isTokenRequest("client_credentials"))).as("token requests").isEqualTo(1);
        List<Exchange> calls = adminCalls();
        assertThat(calls).extracting(Exchange::status).containsExactly(401, 200);
        assertThat(calls.get(0).bearerToken()).contains(firstToken);
        assertThat(calls.get(1).bearerToken()).isPresent().isNotEqualTo(calls.get(0).bearerToken());
        // the call and its retry with the renewed token (the filter's own plain JAX-RS client) each went through it
        assertThat(tunnelled() - tunnelledBeforeSecond).as("requests through the egress tunnel").isEqualTo(2);
    }

    @Test
    void typedClientWhenBuiltForAUrlOutsideTheIntegrationBaseUrlThenEndpointNotAllowedAndNothingSent() {
        KEYCLOAK.clear();
        long tunnelledBefore = tunnelled();

        Response refused = alice.get("/api/typed/users-at?username=alice&base="
                + java.net.URLEncoder.encode(KEYCLOAK.url() + "/admin/realms/master", StandardCharsets.UTF_8));

        // built with RestClientBuilder, routed through the tunnel (else INVALID_CONFIGURATION), refused by the check
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asText()).isEqualTo("ENDPOINT_NOT_ALLOWED");
        assertThat(KEYCLOAK.exchanges(e -> true)).as("nothing reached Keycloak").isEmpty();
        assertThat(tunnelled() - tunnelledBefore).as("requests through the egress tunnel").isZero();
    }

    @Test
    void typedClientWhenTheUserHasNotAuthorizedThenAuthorizationRequiredExceptionWithTheirOwnLink() {
        KEYCLOAK.clear();
        long tunnelledBefore = tunnelled();

        Response handled = bob.get("/api/typed/me");
        Response unhandled = bob.get("/api/typed/me-unhandled");

        assertThat(handled.status()).as(handled.toString()).isEqualTo(409);
        assertThat(handled.json().get("connectedSystem").asText()).isEqualTo(TypedClients.USERINFO_SYSTEM);
        assertThat(handled.json().get("authorizationUrl").asText()).startsWith(Keycloak.authorizationEndpoint() + "?")
                .contains("client_id=" + RealmClients.WEB_CLIENT).contains("code_challenge_method=S256");
        assertThat(unhandled.status()).as(unhandled.toString()).isEqualTo(403);
        assertThat(unhandled.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unhandled.json().get("code").asText()).isEqualTo("AUTHORIZATION_REQUIRED");
        assertThat(unhandled.json().at("/authorizationLink/url").asText()).startsWith(Keycloak.authorizationEndpoint());
        assertThat(KEYCLOAK.count(e -> e.path().endsWith("/userinfo"))).as("no call without a token").isZero();
        assertThat(tunnelled() - tunnelledBefore).as("requests through the egress tunnel").isZero();
    }

    @Test
    void typedClientWhenAliceAuthorizedThenHerCallCarriesHerTokenAndBobStillGetsHisLink() {
        UserAuthorization.authorize(alice, TypedClients.USERINFO_SYSTEM, RealmClients.ALICE, RealmClients.ALICE_PASSWORD);
        KEYCLOAK.clear();
        long tunnelledBefore = tunnelled();

        Response aliceMe = alice.get("/api/typed/me");
        Response bobMe = bob.get("/api/typed/me");

        assertThat(aliceMe.status()).as(aliceMe.toString()).isEqualTo(200);
        assertThat(aliceMe.json().get("preferred_username").asText()).isEqualTo("alice");
        List<Exchange> userInfoCalls = KEYCLOAK.exchanges(e -> e.path().endsWith("/userinfo"));
        assertThat(userInfoCalls).hasSize(1);
        JsonNode claims = Http.jwtClaims(userInfoCalls.get(0).bearerToken().orElseThrow());
        assertThat(claims.get("azp").asText()).isEqualTo(RealmClients.WEB_CLIENT);
        assertThat(claims.get("preferred_username").asText()).isEqualTo("alice");
        assertThat(bobMe.status()).as(bobMe.toString()).isEqualTo(409);
        assertThat(tunnelled() - tunnelledBefore).as("alice's call through the egress tunnel, none for bob")
                .isEqualTo(1);
    }
}
