package dev.conduit.it.conduit;

import dev.conduit.it.http.Http;
import dev.conduit.it.http.Http.Response;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conduit's REST API (issue 4) as one signed-in person uses it: HTTP Basic against the server's demo registry
 * ({@code admin} has {@code conduit-admin}; {@code alice} and {@code bob} have {@code conduit-user}).
 */
public final class ConduitApi {

    private final String base;
    private final String user;
    private final String password;

    private ConduitApi(String base, String user, String password) {
        this.base = base;
        this.user = user;
        this.password = password;
    }

    /** The test server's URL, e.g. {@code http://localhost:9081}. */
    public static String baseUrl() {
        return System.getProperty("conduit.url", "http://localhost:9081");
    }

    public static ConduitApi admin() {
        return admin(baseUrl());
    }

    public static ConduitApi alice() {
        return alice(baseUrl());
    }

    public static ConduitApi bob() {
        return bob(baseUrl());
    }

    public static ConduitApi admin(String base) {
        return new ConduitApi(base, "admin", System.getProperty("conduit.admin.password"));
    }

    public static ConduitApi alice(String base) {
        return new ConduitApi(base, "alice", System.getProperty("conduit.alice.password"));
    }

    public static ConduitApi bob(String base) {
        return new ConduitApi(base, "bob", System.getProperty("conduit.bob.password"));
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String base() {
        return base;
    }

    public Response get(String path) {
        return send(Http.request(base + path).header("Accept", "application/json").GET());
    }

    public Response post(String path, Object body) {
        return send(Http.json("POST", base + path, body == null ? "{}" : body));
    }

    public Response put(String path, Object body) {
        return send(Http.json("PUT", base + path, body));
    }

    public Response delete(String path) {
        return send(Http.request(base + path).DELETE());
    }

    /** {@code POST /api/connected-systems}. */
    public Response createSystem(Map<String, Object> system) {
        return post("/api/connected-systems", system);
    }

    public Response system(String name) {
        return get("/api/connected-systems/" + encode(name));
    }

    public Response updateSystem(String name, Map<String, Object> system) {
        return put("/api/connected-systems/" + encode(name), system);
    }

    public Response deleteSystem(String name) {
        return delete("/api/connected-systems/" + encode(name));
    }

    public Response test(String name) {
        return post("/api/connected-systems/" + encode(name) + "/test", null);
    }

    public Response authorizationLink(String name) {
        return post("/api/connected-systems/" + encode(name) + "/authorization-link", null);
    }

    public Response authorization(String name) {
        return get("/api/connected-systems/" + encode(name) + "/authorization");
    }

    public Response disconnect(String name) {
        return delete("/api/connected-systems/" + encode(name) + "/authorization");
    }

    /** An integration call: {@code GET <integrationBaseUrl>/<path>?<query>} with the system's token. */
    public Response invokeGet(String name, String path, Map<String, String> query) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("method", "GET");
        call.put("path", path);
        call.put("query", query);
        return post("/api/connected-systems/" + encode(name) + "/invoke", call);
    }

    /** Deletes a system if it exists; for clean-up after a test. */
    public void deleteSystemIfPresent(String name) {
        Response response = deleteSystem(name);
        if (response.status() != 204 && response.status() != 404) {
            throw new AssertionError("could not delete " + name + ": " + response);
        }
    }

    /** {@code GET /health/ready} (public), as it answers: status and body. */
    public static Response readinessResponse(String base) {
        return Http.send(Http.request(base + "/health/ready").GET().build());
    }

    /** {@code GET /api/status}: the connected systems' status (administrators only). */
    public Response status() {
        return get("/api/status");
    }

    private Response send(HttpRequest.Builder request) {
        return Http.send(request.header("Authorization", Http.basic(user, password)).build());
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
