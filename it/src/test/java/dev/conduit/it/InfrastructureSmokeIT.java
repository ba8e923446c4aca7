package dev.conduit.it;

import static dev.conduit.it.http.Http.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.conduit.it.browser.Browser;
import dev.conduit.it.browser.BrowserLogin;
import dev.conduit.it.http.Http;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.KeycloakApi;
import dev.conduit.it.keycloak.RealmClients;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test infrastructure itself, without Conduit: Keycloak issues and enforces real tokens, and Chromium completes a
 * real login. When this fails, the scenarios' failures say nothing about Conduit.
 */
class InfrastructureSmokeIT {

    @Test
    void clientCredentialsWhenScopeAllowedThenTokenHasOnlyThatScopeAndTheAdminApiAcceptsIt() {
        Response token = KeycloakApi.clientCredentials(RealmClients.CC_CLIENT, RealmClients.CC_SECRET, "orders.read");

        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        String accessToken = token.json().get("access_token").asText();
        JsonNode claims = Http.jwtClaims(accessToken);
        assertThat(claims.get("iss").asText()).isEqualTo(Keycloak.issuer());
        assertThat(claims.get("scope").asText().split(" ")).containsExactly("orders.read");
        Response users = KeycloakApi.adminGetWith(accessToken, "/users?username=alice&exact=true");
        assertThat(users.status()).as(users.toString()).isEqualTo(200);
        assertThat(users.json().get(0).get("username").asText()).isEqualTo("alice");
    }

    @Test
    void clientCredentialsWhenScopeNotAllowedThenInvalidScope() {
        Response token = KeycloakApi.clientCredentials(RealmClients.CC_CLIENT, RealmClients.CC_SECRET,
                "orders.read orders.write");

        assertThat(token.status()).as(token.toString()).isEqualTo(400);
        assertThat(token.json().get("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void adminApiWhenTokenRevokedThenRejectsIt() {
        String accessToken = KeycloakApi.clientCredentials(RealmClients.CC_CLIENT, RealmClients.CC_SECRET, null)
                .json().get("access_token").asText();
        assertThat(KeycloakApi.adminGetWith(accessToken, "/users").status()).isEqualTo(200);

        Response revoke = Http.send(Http.form(Keycloak.revocationEndpoint(),
                        fields("token", accessToken, "token_type_hint", "access_token"))
                .header("Authorization", Http.oauthClientBasic(RealmClients.CC_CLIENT, RealmClients.CC_SECRET)).build());

        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
        assertThat(KeycloakApi.adminGetWith(accessToken, "/users").status()).isEqualTo(401);
        assertThat(KeycloakApi.adminGetWith("not-a-token", "/users").status()).isEqualTo(401);
    }

    @Test
    void browserLoginWhenAliceSignsInThenTheRedirectCarriesACodeThatPkceExchanges() throws Exception {
        HttpServer callback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        callback.createContext("/smoke/callback", exchange -> {
            byte[] page = "signed in".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        callback.start();
        try (Browser browser = Browser.open()) {
            String redirectUri = "http://127.0.0.1:" + callback.getAddress().getPort() + "/smoke/callback";
            String verifier = randomUrlSafe(48);
            String state = randomUrlSafe(24);
            String authorizationUrl = Keycloak.authorizationEndpoint() + "?" + Http.formEncode(fields(
                    "client_id", "it-smoke", "response_type", "code", "scope", "openid",
                    "redirect_uri", redirectUri, "state", state,
                    "code_challenge", s256(verifier), "code_challenge_method", "S256"));

            String landed = BrowserLogin.loginAndAwait(browser, authorizationUrl,
                    RealmClients.ALICE, RealmClients.ALICE_PASSWORD, redirectUri);

            Map<String, String> query = query(URI.create(landed));
            assertThat(query).containsEntry("state", state).containsEntry("iss", Keycloak.issuer()).containsKey("code");
            assertThat(browser.pageText()).contains("signed in");
            Response token = Http.send(Http.form(Keycloak.tokenEndpoint(), fields(
                    "grant_type", "authorization_code", "client_id", "it-smoke", "code", query.get("code"),
                    "redirect_uri", redirectUri, "code_verifier", verifier)).build());
            assertThat(token.status()).as(token.toString()).isEqualTo(200);
            Response userInfo = Http.send(Http.request(Keycloak.userInfoEndpoint())
                    .header("Authorization", "Bearer " + token.json().get("access_token").asText()).GET().build());
            assertThat(userInfo.status()).as(userInfo.toString()).isEqualTo(200);
            assertThat(userInfo.json().get("preferred_username").asText()).isEqualTo("alice");
        } finally {
            callback.stop(0);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            map.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return map;
    }

    private static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String s256(String verifier) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
