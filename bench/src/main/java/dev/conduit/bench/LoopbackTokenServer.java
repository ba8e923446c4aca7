package dev.conduit.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one token endpoint both sides of a benchmark talk to: a JDK HTTP server on loopback that answers a client
 * credentials request authenticated with {@code client_secret_basic} by a fresh bearer token, after a configurable
 * delay, and counts the requests it served. A request without the expected credentials gets 401, so a side that
 * skips authentication cannot look cheap.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4.3">RFC 6749 section 4.4.3</a>
 */
public final class LoopbackTokenServer implements AutoCloseable {

    static {
        // answer at once: without TCP_NODELAY a keep-alive response waits for the client's delayed ACK (about 40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public static final String CLIENT_ID = "bench-client";
    public static final String CLIENT_SECRET = "bench-secret-5c1e0a77";

    private static final String EXPECTED_AUTHORIZATION = "Basic " + Base64.getEncoder()
            .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));

    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile long delayMillis;
    private volatile long expiresInSeconds;

    private LoopbackTokenServer(int port, Duration delay, Duration expiresIn) throws IOException {
        this.delayMillis = delay.toMillis();
        this.expiresInSeconds = expiresIn.toSeconds();
        // a backlog and a thread per waiting request, so that a burst of token requests queues in the client, not here
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2048);
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "token-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/token", this::handle);
        server.start();
    }

    /** Starts a server on an ephemeral loopback port. */
    public static LoopbackTokenServer start(Duration delay, Duration expiresIn) {
        return start(0, delay, expiresIn);
    }

    /** Starts a server on {@code port} of loopback (0: any free port). */
    public static LoopbackTokenServer start(int port, Duration delay, Duration expiresIn) {
        try {
            return new LoopbackTokenServer(port, delay, expiresIn);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the loopback token endpoint", e);
        }
    }

    /** The token endpoint's URL. */
    public String tokenUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** Token requests answered with a token since the last {@link #resetCounts()}. */
    public int requests() {
        return requests.get();
    }

    /** Requests refused for missing or wrong client credentials. */
    public int refused() {
        return refused.get();
    }

    public void resetCounts() {
        requests.set(0);
        refused.set(0);
    }

    public void setDelay(Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    public void setExpiresIn(Duration expiresIn) {
        this.expiresInSeconds = expiresIn.toSeconds();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String form = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            boolean authenticated = EXPECTED_AUTHORIZATION.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (!"POST".equals(exchange.getRequestMethod()) || !authenticated
                    || !form.contains("grant_type=client_credentials")) {
                refused.incrementAndGet();
                send(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            int number = requests.incrementAndGet();
            pause();
            send(exchange, 200, "{\"access_token\":\"bench-token-" + number + "-" + System.nanoTime()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresInSeconds + "}");
        }
    }

    private void pause() {
        long delay = delayMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
