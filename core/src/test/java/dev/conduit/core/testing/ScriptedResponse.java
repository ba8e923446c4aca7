package dev.conduit.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One answer the {@link HostileTokenServer} gives: any status, headers and body, optionally late, never, or without
 * end. Build with the static factories and refine with the {@code with...} methods (each returns a copy).
 *
 * @param status  the HTTP status
 * @param headers response headers (names as given)
 * @param body    the body bytes (ignored by {@link Kind#HANG})
 * @param delay   how long to wait before answering
 * @param kind    how the answer is delivered
 */
public record ScriptedResponse(int status, Map<String, List<String>> headers, byte[] body, Duration delay, Kind kind) {

    /** How the server delivers an answer. */
    public enum Kind {
        /** Status, headers and the whole body. */
        NORMAL,
        /** Reads the request and never answers, until the server is closed. */
        HANG,
        /** Sends the status, headers and {@code body}, then keeps sending more bytes until the client goes away. */
        ENDLESS_BODY,
        /** Sends the status, headers and {@code body}, then sends nothing more and never ends, until the server closes. */
        HEADERS_THEN_STALL,
        /** Sends a body of the length in the {@code Content-Length} header, generated as it goes: see {@link #streamed}. */
        STREAMED
    }

    public ScriptedResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body.clone();
        delay = delay == null ? Duration.ZERO : delay;
        Objects.requireNonNull(kind, "kind");
    }

    /** A status with no body. */
    public static ScriptedResponse status(int status) {
        return new ScriptedResponse(status, Map.of(), new byte[0], Duration.ZERO, Kind.NORMAL);
    }

    /** Any body with a content type (e.g. {@code text/plain}); {@code null} sends no Content-Type. */
    public static ScriptedResponse body(int status, String contentType, byte[] body) {
        ScriptedResponse response = new ScriptedResponse(status, Map.of(), body, Duration.ZERO, Kind.NORMAL);
        return contentType == null ? response : response.withHeader("Content-Type", contentType);
    }

    public static ScriptedResponse json(int status, String json) {
        return body(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static ScriptedResponse text(int status, String text) {
        return body(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static ScriptedResponse html(int status, String html) {
        return body(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** A typical proxy or login page answering 200 with HTML. */
    public static ScriptedResponse html(String html) {
        return html(200, html);
    }

    /** RFC 6749 section 5.1 success: Bearer, the given lifetime, no refresh token. */
    public static ScriptedResponse okToken(String accessToken, long expiresIn) {
        return json(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + expiresIn + "}");
    }

    /** RFC 6749 section 5.1 success with a refresh token. */
    public static ScriptedResponse okToken(String accessToken, long expiresIn, String refreshToken) {
        return json(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + expiresIn + ",\"refresh_token\":\"" + refreshToken + "\"}");
    }

    /** RFC 6749 section 5.1 success with a granted scope. */
    public static ScriptedResponse okTokenWithScope(String accessToken, long expiresIn, String scope) {
        return json(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + expiresIn + ",\"scope\":\"" + scope + "\"}");
    }

    /** RFC 6749 section 5.2 error; {@code description} may be {@code null}. */
    public static ScriptedResponse oauthError(int status, String error, String description) {
        return json(status, "{\"error\":\"" + error + "\""
                + (description == null ? "" : ",\"error_description\":\"" + description + "\"") + "}");
    }

    /** A 302 to {@code location}. */
    public static ScriptedResponse redirect(String location) {
        return redirect(302, location);
    }

    public static ScriptedResponse redirect(int status, String location) {
        return status(status).withHeader("Location", location);
    }

    /** A 429 with the given {@code Retry-After} value. */
    public static ScriptedResponse rateLimited(String retryAfter) {
        return oauthError(429, "slow_down", null).withHeader("Retry-After", retryAfter);
    }

    /** Accepts the request and never answers (until the server closes). */
    public static ScriptedResponse hang() {
        return new ScriptedResponse(0, Map.of(), new byte[0], Duration.ZERO, Kind.HANG);
    }

    /** A 200 JSON answer whose body never ends: for checking the client stops reading at its limit. */
    public static ScriptedResponse endlessBody() {
        return new ScriptedResponse(200, Map.of("Content-Type", List.of("application/json")),
                "{\"access_token\":\"".getBytes(StandardCharsets.US_ASCII), Duration.ZERO, Kind.ENDLESS_BODY);
    }

    /** A 200 whose headers and first bytes arrive at once, and whose body then stalls for ever. */
    public static ScriptedResponse headersThenStall() {
        return new ScriptedResponse(200, Map.of("Content-Type", List.of("application/json")),
                "{\"items\":[".getBytes(StandardCharsets.US_ASCII), Duration.ZERO, Kind.HEADERS_THEN_STALL);
    }

    /** A 200 with a body of {@code size} bytes, written as it goes (it is never held in memory). */
    public static ScriptedResponse streamed(long size) {
        return new ScriptedResponse(200, Map.of("Content-Type", List.of("application/octet-stream"),
                "Content-Length", List.of(Long.toString(size))), new byte[0], Duration.ZERO, Kind.STREAMED);
    }

    /** A body of exactly {@code size} bytes: a JSON object padded with spaces, valid if read whole. */
    public static ScriptedResponse largeJson(int size) {
        String head = "{\"access_token\":\"large-body-token\",\"token_type\":\"Bearer\",\"expires_in\":3600";
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) ' ');
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
        bytes[size - 1] = '}';
        return body(200, "application/json", bytes);
    }

    /**
     * A file from the test class path under {@code /fixtures/}, e.g. {@code fixture(200, "token-ok.json")}; the content
     * type follows the extension ({@code .json}, {@code .html}, else text).
     */
    public static ScriptedResponse fixture(int status, String name) {
        try (InputStream in = ScriptedResponse.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /fixtures/" + name + " on the test class path");
            }
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".json") ? "application/json" : "text/plain; charset=utf-8";
            return body(status, type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy with one more header value. */
    public ScriptedResponse withHeader(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.merge(name, List.of(value), (a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        });
        return new ScriptedResponse(status, copy, body, delay, kind);
    }

    /** A copy answered only after {@code wait}. */
    public ScriptedResponse withDelay(Duration wait) {
        return new ScriptedResponse(status, headers, body, wait, kind);
    }

    /** The body bytes (a copy). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScriptedResponse r && status == r.status && headers.equals(r.headers)
                && Arrays.equals(body, r.body) && delay.equals(r.delay) && kind == r.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body), delay, kind);
    }

    @Override
    public String toString() {
        return "ScriptedResponse[" + kind + " " + status + ", " + body.length + " bytes]";
    }
}
