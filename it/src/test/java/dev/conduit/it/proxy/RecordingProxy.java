package dev.conduit.it.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.conduit.it.http.Http;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A loopback HTTP proxy in front of the real Keycloak that records every exchange: what Conduit asked (token requests,
 * revocations, integration calls with their bearer token) and what Keycloak answered. Keycloak still issues and checks
 * every token; the proxy lets a test count requests and learn which token Conduit used, which Conduit never shows.
 */
public final class RecordingProxy implements AutoCloseable {

    /** Headers the JDK client sets itself or that belong to one connection. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-connection");

    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicReference<Hold> hold = new AtomicReference<>();

    /**
     * One request that went through, and its answer.
     *
     * @param method        the HTTP method
     * @param path          the path with its query
     * @param form          the form fields of a form POST (a token request), else empty
     * @param authorization the Authorization header sent, or {@code null}
     * @param status        Keycloak's status
     * @param responseBody  Keycloak's body
     */
    public record Exchange(String method, String path, Map<String, String> form, String authorization, int status,
            String responseBody) {

        public boolean isTokenRequest() {
            return "POST".equals(method) && path.endsWith("/protocol/openid-connect/token");
        }

        public boolean isTokenRequest(String grantType) {
            return isTokenRequest() && grantType.equals(form.get("grant_type"));
        }

        /** The bearer token presented, if any. */
        public Optional<String> bearerToken() {
            return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? Optional.of(authorization.substring(7).trim()) : Optional.empty();
        }

        /** A member of the JSON answer, e.g. {@code access_token} or {@code error}. */
        public Optional<String> answer(String member) {
            try {
                JsonNode json = Http.JSON.readTree(responseBody);
                return json != null && json.hasNonNull(member) ? Optional.of(json.get(member).asText()) : Optional.empty();
            } catch (IOException notJson) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            // never the tokens themselves
            return method + " " + path + " grant_type=" + form.get("grant_type") + " -> " + status;
        }
    }

    /**
     * The next token request of one grant type, held at the proxy until the test drops it: it never reaches Keycloak,
     * so what it carries (a refresh token) is not used up. What happens to the sender meanwhile is the test's to do.
     */
    public static final class Hold {

        private final String grantType;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch dropped = new CountDownLatch(1);
        private volatile Map<String, String> form;

        private Hold(String grantType) {
            this.grantType = grantType;
        }

        /** Waits until the request arrived; its form fields. */
        public Map<String, String> awaitArrival(Duration timeout) throws InterruptedException {
            if (!arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no " + grantType + " token request arrived within " + timeout);
            }
            return form;
        }

        /** Ends the held request without forwarding it; its sender, if still there, gets a 502. */
        public void drop() {
            dropped.countDown();
        }
    }

    private RecordingProxy(HttpServer server, URI target) {
        this.server = server;
        this.target = target;
    }

    /** Starts a proxy on a free loopback port that forwards to {@code target} (e.g. {@code http://localhost:8080}). */
    public static RecordingProxy start(URI target) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RecordingProxy proxy = new RecordingProxy(server, target);
            server.createContext("/", proxy::forward);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the proxy", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: a loopback address, which Conduit's test configuration allows over http. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Exchange> exchanges(Predicate<Exchange> filter) {
        return exchanges.stream().filter(filter).toList();
    }

    public long count(Predicate<Exchange> filter) {
        return exchanges.stream().filter(filter).count();
    }

    /** Holds the next token request of {@code grantType} (only one hold at a time); it is not recorded. */
    public Hold holdNextTokenRequest(String grantType) {
        Hold next = new Hold(grantType);
        if (!hold.compareAndSet(null, next)) {
            throw new IllegalStateException("a request is held already");
        }
        return next;
    }

    /** Forgets what was recorded so far. */
    public void clear() {
        exchanges.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /**
     * The request target in origin form: Conduit sends plain-http requests in absolute form to the address it checked
     * ({@code POST http://127.0.0.1:port/path}), which a server must accept as the same request (RFC 9112, 3.2.2).
     */
    private static String originForm(URI requested) {
        String path = requested.getRawPath() == null || requested.getRawPath().isEmpty() ? "/" : requested.getRawPath();
        return requested.getRawQuery() == null ? path : path + "?" + requested.getRawQuery();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            Map<String, String> form = contentType != null && contentType.startsWith("application/x-www-form-urlencoded")
                    ? parseForm(new String(body, StandardCharsets.UTF_8)) : Map.of();
            if (held(exchange, form)) {
                return;
            }
            String path = originForm(exchange.getRequestURI());
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            exchanges.add(new Exchange(exchange.getRequestMethod(), path, form,
                    exchange.getRequestHeaders().getFirst("Authorization"), response.statusCode(),
                    new String(response.body(), StandardCharsets.UTF_8)));
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            exchange.getResponseBody().write(response.body());
        }
    }

    /** Whether this request was the held one: it then waited until dropped, and was answered 502. */
    private boolean held(HttpExchange exchange, Map<String, String> form) throws IOException {
        Hold current = hold.get();
        if (current == null || !"POST".equals(exchange.getRequestMethod())
                || !exchange.getRequestURI().getPath().endsWith("/protocol/openid-connect/token")
                || !current.grantType.equals(form.get("grant_type")) || !hold.compareAndSet(current, null)) {
            return false;
        }
        current.form = form;
        current.arrived.countDown();
        try {
            current.dropped.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            exchange.sendResponseHeaders(502, -1);
        } catch (IOException senderGone) {
            // the sender was killed while its request was held: nobody to answer
        }
        return true;
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }
}
