package dev.conduit.web.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A resource server on 127.0.0.1 for the proxy's tests: it records what arrived (method, raw path and query, headers,
 * the body's length and SHA-256, and the body itself when it is small) without ever holding a large body, and answers
 * what the test scripts: fixed bytes, or a generated body of any size written as it goes.
 */
final class LoopbackResourceServer implements AutoCloseable {

    /** Bodies up to this size are kept for assertions; larger ones only counted and hashed. */
    static final int KEPT_BODY_BYTES = 1024 * 1024;

    /** What arrived. {@code headers} keeps the names as sent, in order; {@code body} is empty for a large body. */
    record Arrived(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
            long bodyLength, String bodySha256, byte[] body) {

        List<String> header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }
    }

    /**
     * An answer: status, headers (in order, names as given), then either {@code body} or {@code generated} bytes of a
     * repeating pattern ({@code chunked}: without a Content-Length).
     */
    record Answer(int status, List<Map.Entry<String, String>> headers, byte[] body, long generated, boolean chunked) {

        static Answer of(int status, byte[] body, String... headerPairs) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = 0; i < headerPairs.length; i += 2) {
                headers.add(Map.entry(headerPairs[i], headerPairs[i + 1]));
            }
            return new Answer(status, headers, body, -1, false);
        }

        static Answer generated(long size, boolean chunked) {
            return new Answer(200, List.of(Map.entry("Content-Type", "application/octet-stream")), new byte[0], size,
                    chunked);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-resource-server");
        t.setDaemon(true);
        return t;
    });
    private final List<Arrived> arrived = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Answer> queued = new ConcurrentLinkedDeque<>();
    private volatile Function<Arrived, Answer> fallback = a -> Answer.of(200, a.body(), "Content-Type",
            "application/octet-stream");

    LoopbackResourceServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** e.g. {@code http://127.0.0.1:PORT/api}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers given in order, one per request, before the fallback. */
    LoopbackResourceServer enqueue(Answer... answers) {
        queued.addAll(List.of(answers));
        return this;
    }

    /** The answer once the queue is empty (by default: 200 echoing a small body). */
    LoopbackResourceServer otherwise(Function<Arrived, Answer> answer) {
        fallback = answer;
        return this;
    }

    List<Arrived> arrived() {
        return List.copyOf(arrived);
    }

    Arrived last() {
        return arrived.get(arrived.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The byte at {@code position} of every generated body: a pattern that a shifted or dropped byte breaks. */
    static byte patternByte(long position) {
        return (byte) (position * 31 + (position >>> 13));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Arrived request = read(exchange);
            arrived.add(request);
            Answer answer = queued.poll();
            answer = answer != null ? answer : fallback.apply(request);
            answer.headers().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
            if (answer.generated() >= 0) {
                exchange.sendResponseHeaders(answer.status(), answer.chunked() ? 0 : answer.generated());
                byte[] chunk = new byte[64 * 1024];
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent < answer.generated(); ) {
                        int n = (int) Math.min(chunk.length, answer.generated() - sent);
                        for (int i = 0; i < n; i++) {
                            chunk[i] = patternByte(sent + i);
                        }
                        out.write(chunk, 0, n);
                        sent += n;
                    }
                }
            } else {
                boolean noBody = answer.body().length == 0;
                exchange.sendResponseHeaders(answer.status(), noBody ? -1 : answer.body().length);
                if (!noBody) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.body());
                    }
                }
            }
        }
    }

    private static Arrived read(HttpExchange exchange) throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        // the JDK server gives the names with only their first letter in upper case; values are as sent
        new TreeMap<>(exchange.getRequestHeaders()).forEach((name, values) -> values.forEach(v -> headers.add(
                Map.entry(name, v))));
        MessageDigest sha256 = sha256();
        long length = 0;
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
                if (length + n <= KEPT_BODY_BYTES) {
                    kept.write(buffer, 0, n);
                }
                length += n;
            }
        }
        return new Arrived(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, length, hex(sha256.digest()),
                length <= KEPT_BODY_BYTES ? kept.toByteArray() : new byte[0]);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
