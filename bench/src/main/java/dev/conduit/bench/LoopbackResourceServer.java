package dev.conduit.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The resource server of figure 4: answers {@code GET /api/hello} with a small JSON document when the request carries
 * a bearer token, and 401 otherwise, so that both the direct call and Conduit's integration call do the same work.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 section 2.1</a>
 */
public final class LoopbackResourceServer implements AutoCloseable {

    static {
        // answer at once: without TCP_NODELAY a keep-alive response waits for the client's delayed ACK (about 40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    static final byte[] BODY = "{\"greeting\":\"hello\",\"items\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);

    /** The 1 KiB JSON answer of figure 5: {@code {"items":"xxx..."}}, 1,024 bytes. */
    static final byte[] KIB = ("{\"items\":\"" + "x".repeat(1024 - 12) + "\"}").getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private LoopbackResourceServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        workers = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "resource-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/api/hello", this::handle);
        server.createContext("/api/kib", exchange -> answer(exchange, KIB));
        server.createContext("/api/blob", this::blob);
        server.start();
    }

    /** Starts on {@code port} of loopback (0: any free port). */
    public static LoopbackResourceServer start(int port) {
        try {
            return new LoopbackResourceServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the loopback resource server", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    public long served() {
        return served.get();
    }

    public long refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        answer(exchange, BODY);
    }

    private boolean bearer(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return authorization != null && authorization.startsWith("Bearer bench-token-");
    }

    /**
     * Large bodies (figure 5): {@code GET /api/blob?size=N} answers N bytes generated as they are written;
     * {@code PUT} or {@code POST} reads the body, counting it, and answers {@code {"received": N}}. Neither is held.
     */
    private void blob(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!bearer(exchange)) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(401, -1);
                refused.incrementAndGet();
                return;
            }
            byte[] buffer = new byte[64 * 1024];
            if (exchange.getRequestMethod().equals("GET")) {
                String query = exchange.getRequestURI().getRawQuery();
                long size = Long.parseLong(query == null ? "0" : query.replace("size=", ""));
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent < size; sent += buffer.length) {
                        out.write(buffer, 0, (int) Math.min(buffer.length, size - sent));
                    }
                }
            } else {
                long received = 0;
                try (var in = exchange.getRequestBody()) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        received += n;
                    }
                }
                byte[] body = ("{\"received\":" + received + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            served.incrementAndGet();
        }
    }

    private void answer(HttpExchange exchange, byte[] okBody) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            boolean bearer = bearer(exchange);
            byte[] body = bearer ? okBody : "{\"error\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8);
            (bearer ? served : refused).incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(bearer ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
