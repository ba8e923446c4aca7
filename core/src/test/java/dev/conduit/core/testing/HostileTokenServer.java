package dev.conduit.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A token endpoint that answers whatever a test tells it to: one HTTP server on 127.0.0.1 and a random port.
 *
 * <p>Every path has a script: first the queued answers in order, then the handler function if one is set, else the
 * default answer. Paths without a script of their own ({@link #path(String)}) share the server's main script, so a
 * test that scripts nothing else gets the same answers on {@code /token}, {@code /revoke} or any other path.
 * Every request is recorded before it is answered, including those that are never answered.
 *
 * <pre>{@code
 * try (HostileTokenServer server = HostileTokenServer.start()) {
 *     server.enqueue(ScriptedResponse.rateLimited("1"), ScriptedResponse.okToken("tok-1", 3600));
 *     server.path("/revoke").setDefault(ScriptedResponse.status(200));
 *     ... server.url("/token") ...
 *     assertThat(server.requestCount("/token")).isEqualTo(2);
 * }
 * }</pre>
 */
public final class HostileTokenServer implements AutoCloseable {

    /** What the main script answers before a test says otherwise. */
    public static final ScriptedResponse NOT_SCRIPTED =
            ScriptedResponse.oauthError(404, "not_scripted", "the test scripted no answer for this request");

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong streamedBytes = new AtomicLong();
    private final Route main = new Route();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile Consumer<RecordedRequest> beforeAnswer = request -> { };

    private HostileTokenServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        // one thread per exchange: a hanging answer must not hold up the others
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hostile-token-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    public static HostileTokenServer start() {
        try {
            return new HostileTokenServer();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test token server", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** e.g. {@code http://127.0.0.1:PORT/token} for {@code url("/token")}. */
    public String url(String path) {
        String p = path.isEmpty() || path.startsWith("/") ? path : "/" + path;
        return "http://127.0.0.1:" + port() + p;
    }

    public URI uri(String path) {
        return URI.create(url(path));
    }

    /** The token endpoint's URL: {@code url("/token")}. */
    public String tokenUrl() {
        return url("/token");
    }

    // ---- the main script, used by every path without a script of its own

    /** Queues answers on the main script, given in order, one per request. */
    public HostileTokenServer enqueue(ScriptedResponse... responses) {
        main.enqueue(responses);
        return this;
    }

    /** The main script's answer once its queue is empty (and no handler is set). */
    public HostileTokenServer setDefault(ScriptedResponse response) {
        main.setDefault(response);
        return this;
    }

    /** A function that answers on the main script once its queue is empty: for stateful servers. */
    public HostileTokenServer handle(Function<RecordedRequest, ScriptedResponse> handler) {
        main.handle(handler);
        return this;
    }

    /**
     * Runs {@code hook} on each request's own thread before its script answers it, outside the scripts' locks: a hook
     * that blocks holds back that request's answer alone, for instance until enough requests are in flight at once.
     */
    public HostileTokenServer beforeEachAnswer(Consumer<RecordedRequest> hook) {
        beforeAnswer = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** The script of one path (e.g. {@code /revoke}, {@code /.well-known/oauth-authorization-server}). */
    public Route path(String path) {
        return routes.computeIfAbsent(path, p -> new Route());
    }

    // ---- what was received

    /** How many requests reached the server, on every path. */
    /** How many body bytes the {@link ScriptedResponse#streamed} answers wrote before the client stopped reading. */
    public long streamedBytes() {
        return streamedBytes.get();
    }

    public int requestCount() {
        return requests.size();
    }

    /** How many requests reached one path. */
    public int requestCount(String path) {
        return requests(path).size();
    }

    /** Every request received, in order of arrival. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The last request received; fails when there was none. */
    public RecordedRequest lastRequest() {
        List<RecordedRequest> all = requests();
        if (all.isEmpty()) {
            throw new AssertionError("no request reached the test token server");
        }
        return all.get(all.size() - 1);
    }

    /** Forgets the requests received and every script: back to the state after {@link #start()}. */
    public void reset() {
        requests.clear();
        main.clear();
        routes.clear();
    }

    /** Stops the server; requests left hanging are dropped. */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            RecordedRequest request = record(exchange);
            requests.add(request);
            beforeAnswer.accept(request);
            Route route = routes.getOrDefault(request.path(), main);
            answer(exchange, route.next(request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (timeout, size limit): nothing to answer
        }
    }

    private static RecordedRequest record(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = exchange.getRequestURI();
        return new RecordedRequest(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
                exchange.getRequestHeaders(), body);
    }

    private void answer(HttpExchange exchange, ScriptedResponse response) throws IOException, InterruptedException {
        if (!response.delay().isZero() && closed.await(response.delay().toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        switch (response.kind()) {
            case HANG -> closed.await();
            case NORMAL -> {
                response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
                byte[] body = response.body();
                // -1: no body; a 204/304 or an empty answer must not be sent chunked
                exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
            case ENDLESS_BODY -> {
                response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
                exchange.sendResponseHeaders(response.status(), 0);
                OutputStream out = exchange.getResponseBody();
                out.write(response.body());
                byte[] chunk = new byte[8192];
                Arrays.fill(chunk, (byte) 'A');
                while (closed.getCount() > 0) {
                    out.write(chunk); // throws once the client closes the connection
                    out.flush();
                }
            }
            case HEADERS_THEN_STALL -> {
                response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
                exchange.sendResponseHeaders(response.status(), 0);
                OutputStream out = exchange.getResponseBody();
                out.write(response.body());
                out.flush();
                closed.await();
            }
            case STREAMED -> {
                long size = Long.parseLong(response.headers().get("Content-Length").get(0));
                response.headers().forEach((name, values) -> {
                    if (!name.equalsIgnoreCase("Content-Length")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                exchange.sendResponseHeaders(response.status(), size);
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'A');
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent < size && closed.getCount() > 0; sent += chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, size - sent)); // throws once the client leaves
                        streamedBytes.addAndGet(Math.min(chunk.length, size - sent));
                    }
                }
            }
        }
    }

    /** The script of one path: queued answers, then the handler, then the default. */
    public static final class Route {
        private final Deque<ScriptedResponse> queue = new ArrayDeque<>();
        private Function<RecordedRequest, ScriptedResponse> handler;
        private ScriptedResponse fallback = NOT_SCRIPTED;

        /** Queues answers, given in order, one per request. */
        public synchronized Route enqueue(ScriptedResponse... responses) {
            queue.addAll(Arrays.asList(responses));
            return this;
        }

        /** The answer once the queue is empty and no handler is set. */
        public synchronized Route setDefault(ScriptedResponse response) {
            fallback = Objects.requireNonNull(response, "response");
            return this;
        }

        /** A function that answers once the queue is empty. */
        public synchronized Route handle(Function<RecordedRequest, ScriptedResponse> function) {
            handler = Objects.requireNonNull(function, "function");
            return this;
        }

        synchronized ScriptedResponse next(RecordedRequest request) {
            ScriptedResponse queued = queue.poll();
            if (queued != null) {
                return queued;
            }
            return handler != null ? Objects.requireNonNull(handler.apply(request), "handler answer") : fallback;
        }

        synchronized void clear() {
            queue.clear();
            handler = null;
            fallback = NOT_SCRIPTED;
        }
    }
}
