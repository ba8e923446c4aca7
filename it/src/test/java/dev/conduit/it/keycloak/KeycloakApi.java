package dev.conduit.it.keycloak;

import static dev.conduit.it.http.Http.fields;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.it.http.Http;
import dev.conduit.it.http.Http.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tests ask Keycloak directly: tokens, introspection, and its admin REST API (as the bootstrap administrator
 * of the master realm) for users, sessions and events.
 */
public final class KeycloakApi {

    private KeycloakApi() {
    }

    /** A client credentials token request (RFC 6749 section 4.4) with {@code client_secret_basic}. */
    public static Response clientCredentials(String clientId, String secret, String scope) {
        var form = fields("grant_type", "client_credentials");
        if (scope != null) {
            form.put("scope", scope);
        }
        return Http.send(Http.form(Keycloak.tokenEndpoint(), form)
                .header("Authorization", Http.oauthClientBasic(clientId, secret)).build());
    }

    /** RFC 7662 introspection, as {@code orders-api}: active only for tokens whose audience holds orders-api. */
    public static JsonNode introspect(String token) {
        Response response = Http.send(Http.form(Keycloak.introspectionEndpoint(), fields("token", token))
                .header("Authorization", Http.oauthClientBasic(RealmClients.ORDERS_API, RealmClients.ORDERS_API_SECRET))
                .build());
        if (response.status() != 200) {
            throw new AssertionError("introspection failed: " + response);
        }
        return response.json();
    }

    /** GET on the conduit realm's admin API with a token of the caller's choosing (the resource server under test). */
    public static Response adminGetWith(String accessToken, String path) {
        return Http.send(Http.request(Keycloak.adminApi() + path).header("Authorization", "Bearer " + accessToken)
                .GET().build());
    }

    /** GET on the conduit realm's admin API as Keycloak's administrator. */
    public static JsonNode adminGet(String path) {
        Response response = adminGetWith(adminToken(), path);
        if (response.status() != 200) {
            throw new AssertionError("GET " + path + ": " + response);
        }
        return response.json();
    }

    /** POST (no body) on the conduit realm's admin API as Keycloak's administrator. */
    public static void adminPost(String path) {
        Response response = Http.send(Http.request(Keycloak.adminApi() + path)
                .header("Authorization", "Bearer " + adminToken())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        if (response.status() / 100 != 2) {
            throw new AssertionError("POST " + path + ": " + response);
        }
    }

    /** The Keycloak id of a user of the conduit realm. */
    public static String userId(String username) {
        JsonNode users = adminGet("/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8));
        if (users.size() != 1) {
            throw new AssertionError("expected one user " + username + ", found " + users);
        }
        return users.get(0).get("id").asText();
    }

    /** Ends every session of a user (admin API), as an administrator or a logout elsewhere would. */
    public static void logout(String username) {
        adminPost("/users/" + userId(username) + "/logout");
    }

    /** The user's active sessions. */
    public static JsonNode sessions(String username) {
        return adminGet("/users/" + userId(username) + "/sessions");
    }

    /** The realm's stored events of one type for one client, newest first. */
    public static List<JsonNode> events(String type, String clientId) {
        JsonNode events = adminGet("/events?max=1000&type=" + type + "&client=" + clientId);
        List<JsonNode> list = new ArrayList<>();
        events.forEach(list::add);
        return list;
    }

    private static String adminToken() {
        Response response = Http.send(Http.form(
                Keycloak.server().baseUri() + "/realms/master/protocol/openid-connect/token",
                fields("grant_type", "password", "client_id", "admin-cli",
                        "username", KeycloakServer.ADMIN_USER, "password", KeycloakServer.ADMIN_PASSWORD)).build());
        if (response.status() != 200) {
            throw new AssertionError("Keycloak admin login failed: " + response);
        }
        return response.json().get("access_token").asText();
    }
}
