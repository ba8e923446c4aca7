package dev.conduit.it.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The tests' HTTP client: JSON and form requests, answers as {@link Response}. Never follows redirects. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();

    /**
     * HTTP/1.1, as curl speaks plain http: with HTTP/2 (h2c) every concurrent call of a test shares one connection to
     * Liberty, and under the cluster scenarios' bursts Liberty ended that connection (GOAWAY) with calls still on it.
     */
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private Http() {
    }

    /** An HTTP answer with its body read as text. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    public static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    }

    /** A form POST (application/x-www-form-urlencoded). */
    public static HttpRequest.Builder form(String url, Map<String, String> fields) {
        return request(url).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(fields)));
    }

    /** A JSON POST/PUT/... with any body that Jackson writes. */
    public static HttpRequest.Builder json(String method, String url, Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            return request(url).header("Content-Type", "application/json").header("Accept", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 7617 Basic credentials; RFC 6749 section 2.3.1 form-encodes OAuth client ids and secrets first. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String oauthClientBasic(String clientId, String secret) {
        return basic(URLEncoder.encode(clientId, StandardCharsets.UTF_8), URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }

    public static String formEncode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Ordered map literal for form fields. */
    public static Map<String, String> fields(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** The claims of a JWT, read without checking its signature (Keycloak checks it; tests only look). */
    public static JsonNode jwtClaims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("not a JWT: " + parts.length + " parts");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new AssertionError("JWT claims are not JSON", e);
        }
    }
}
