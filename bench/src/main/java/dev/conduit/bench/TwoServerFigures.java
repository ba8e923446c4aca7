package dev.conduit.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figure 6 from outside: two real Conduit servers (Liberty, started by {@code bench/scripts/cluster-figures.sh}) on
 * the PostgreSQL this process starts, loaded over HTTP from this process.
 *
 * <ol>
 *   <li>Expiry burst: a client-credentials token (30 s, renewed by Conduit at half) is due; 1,000 callers, half on
 *       each server, call {@code invoke} at once, released by one gate. Token requests per burst at the 20 ms token
 *       endpoint (goal 1) and the callers' p50/p99 wait from the gate; beside each, a burst of the same 1,000 calls
 *       with a fresh token, which shows what 1,000 concurrent calls cost on this machine without a renewal.</li>
 *   <li>Disconnect: alice's token is held in server B's memory (a call on B); alice disconnects on A; B is called
 *       back to back until it answers {@code AUTHORIZATION_REQUIRED}. The time from the disconnect's start and from
 *       its answer until B's refusal arrived, p50/p99 over 50 runs, and how many calls B still served meanwhile.</li>
 * </ol>
 *
 * <p>Phases: it starts PostgreSQL on {@code PG_PORT} (database {@code conduit}) and its loopback endpoints, prints
 * {@code ready}, waits for both servers to answer, measures, prints the figures (and writes them to {@code OUT}), and
 * stops PostgreSQL.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.conduit.bench.TwoServerFigures PG_PORT URL_A URL_B OUT</pre>
 */
public final class TwoServerFigures {

    private static final int CALLERS = 1000;
    private static final int WARM_UP_BURSTS = 2;
    private static final int BURSTS = 10;
    private static final int WARM_UP_DISCONNECTS = 10;
    private static final int DISCONNECTS = 50;
    /**
     * The client-credentials token's lifetime: Conduit renews it at half. Long enough that a burst (seconds on a
     * loaded 2-core machine) and the fresh burst after it end well before the next renewal point.
     */
    private static final Duration CC_LIFETIME = Duration.ofSeconds(30);
    /** After a burst's gate, how long beyond the renewal point the next burst waits: the renewal itself comes later. */
    private static final Duration RENEWAL_MARGIN = Duration.ofSeconds(3);

    private final String urlA;
    private final String urlB;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(16)).build();
    private final StringBuilder report = new StringBuilder();

    private TwoServerFigures(String urlA, String urlB) {
        this.urlA = urlA;
        this.urlB = urlB;
    }

    public static void main(String[] args) throws Exception {
        int postgresPort = Integer.parseInt(args[0]);
        TwoServerFigures figures = new TwoServerFigures(args[1], args[2]);
        Path out = Path.of(args[3]);
        Path data = Files.createTempDirectory("conduit-bench-postgres");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(postgresPort).setDataDirectory(data)
                        .setCleanDataDirectory(true).start();
                LoopbackTokenServer tokens = LoopbackTokenServer.start(Duration.ofMillis(20), CC_LIFETIME);
                LoopbackResourceServer resources = LoopbackResourceServer.start(0);
                UserProvider users = UserProvider.start()) {
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE conduit");
            }
            System.out.println("ready");
            System.out.flush();
            figures.awaitServers();
            Files.createDirectories(out.toAbsolutePath().getParent());
            figures.expiryBursts(tokens, resources.baseUrl());
            Files.writeString(out, figures.report);
            figures.disconnects(users, resources.baseUrl());
            Files.writeString(out, figures.report);
            System.out.print(figures.report);
        } catch (Exception | Error e) {
            System.out.print(figures.report);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the HTTP client's threads would keep the JVM alive
    }

    private void awaitServers() throws InterruptedException {
        for (String url : List.of(urlA, urlB)) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (true) {
                try {
                    if (send("GET", url + "/api/connected-systems", "admin", null).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(url + " did not answer within 5 minutes");
                }
                Thread.sleep(1000);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ expiry burst

    private void expiryBursts(LoopbackTokenServer tokens, String resourceBase) throws Exception {
        String system = "bench-burst";
        Map<String, Object> draft = draft(system, "client_credentials", tokens.tokenUrl(), resourceBase);
        create(system, draft);
        long issuedAt = System.nanoTime(); // the creation's token test obtained the first token
        report.append("Expiry burst: ").append(CALLERS).append(" callers, half on each server, 20 ms token endpoint,"
                + " tokens of ").append(CC_LIFETIME.toSeconds()).append(" s renewed at half; per burst: token requests,"
                + " p50 / p99 / max wait from the gate (ms), failures; then the same burst with a fresh token\n");
        List<Integer> requests = new ArrayList<>();
        for (int burst = 1 - WARM_UP_BURSTS; burst <= BURSTS; burst++) {
            long due = issuedAt + CC_LIFETIME.dividedBy(2).plus(RENEWAL_MARGIN).toNanos();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime())));
            tokens.resetCounts();
            issuedAt = System.nanoTime();
            Burst expiry = burst(system);
            int tokenRequests = tokens.requests();
            Thread.sleep(500);
            tokens.resetCounts();
            Burst fresh = burst(system);
            int freshRequests = tokens.requests();
            if (burst < 1) {
                continue;
            }
            requests.add(tokenRequests);
            report.append("  burst ").append(burst).append(": ").append(tokenRequests).append(" | ").append(expiry)
                    .append("   fresh: ").append(freshRequests).append(" | ").append(fresh).append('\n');
        }
        report.append("  token requests per burst: ").append(requests).append("\n\n");
    }

    /**
     * The callers' waits from the gate, sorted, in microseconds; and the calls that did not get a 200 with a 200
     * inside, by what they got (a status and problem code, or an exception).
     */
    private record Burst(List<Long> micros, Map<String, Integer> failures) {
        @Override
        public String toString() {
            return percentile(micros, 50) / 1000 + " / " + percentile(micros, 99) / 1000 + " / "
                    + micros.get(micros.size() - 1) / 1000 + " | "
                    + failures.values().stream().mapToInt(Integer::intValue).sum()
                    + (failures.isEmpty() ? "" : " " + failures);
        }
    }

    private Burst burst(String system) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(CALLERS);
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> failures = new java.util.concurrent.ConcurrentSkipListMap<>();
        AtomicLong gateAt = new AtomicLong();
        for (int i = 0; i < CALLERS; i++) {
            String url = (i % 2 == 0 ? urlA : urlB) + "/api/connected-systems/" + system + "/invoke";
            Thread caller = new Thread(() -> {
                try {
                    ready.countDown();
                    gate.await();
                    HttpResponse<String> answer = send("POST", url, "admin", "{\"method\":\"GET\",\"path\":\"/hello\"}");
                    long waited = System.nanoTime() - gateAt.get();
                    if (answer.statusCode() != 200 || !"200".equals(member(answer, "status"))) {
                        failures.merge(answer.statusCode() + " " + member(answer, "code") + " "
                                + member(answer, "status"), 1, Integer::sum);
                    }
                    micros.add(TimeUnit.NANOSECONDS.toMicros(waited));
                } catch (IOException | InterruptedException | RuntimeException e) {
                    failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                } finally {
                    done.countDown();
                }
            });
            caller.start();
        }
        ready.await();
        gateAt.set(System.nanoTime());
        gate.countDown();
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("a burst did not end within 5 minutes");
        }
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return new Burst(sorted, Map.copyOf(failures));
    }

    // -------------------------------------------------------------------------------------------------- disconnect

    private void disconnects(UserProvider users, String resourceBase) throws Exception {
        String system = "bench-user";
        Map<String, Object> draft = draft(system, "authorization_code", users.url() + "/token", resourceBase);
        draft.put("authorizationEndpoint", users.url() + "/authorize");
        draft.put("revocationEndpoint", users.url() + "/revoke");
        create(system, draft);
        String invoke = urlB + "/api/connected-systems/" + system + "/invoke";
        String call = "{\"method\":\"GET\",\"path\":\"/hello\"}";
        List<Long> fromStart = new ArrayList<>();
        List<Long> fromReturn = new ArrayList<>();
        List<Integer> servedAfterReturn = new ArrayList<>();
        for (int run = 1 - WARM_UP_DISCONNECTS; run <= DISCONNECTS; run++) {
            authorize(system, users);
            HttpResponse<String> held = send("POST", invoke, "alice", call);
            if (held.statusCode() != 200 || !"200".equals(member(held, "status"))) {
                throw new IllegalStateException("B did not serve alice before the disconnect: " + held.statusCode());
            }
            long start = System.nanoTime();
            HttpResponse<String> disconnected = send("DELETE",
                    urlA + "/api/connected-systems/" + system + "/authorization", "alice", null);
            long returned = System.nanoTime();
            if (disconnected.statusCode() / 100 != 2) {
                throw new IllegalStateException("the disconnect on A answered " + disconnected.statusCode());
            }
            int served = 0;
            long refusedAt;
            while (true) {
                long sent = System.nanoTime();
                HttpResponse<String> answer = send("POST", invoke, "alice", call);
                if (answer.statusCode() == 403 && "AUTHORIZATION_REQUIRED".equals(member(answer, "code"))) {
                    refusedAt = System.nanoTime();
                    break;
                }
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("B answered " + answer.statusCode() + " after the disconnect");
                }
                if (sent > returned) {
                    served++;
                }
                if (sent - start > TimeUnit.SECONDS.toNanos(30)) {
                    throw new IllegalStateException("B still served alice 30 s after the disconnect");
                }
            }
            if (run < 1) {
                continue;
            }
            fromStart.add(TimeUnit.NANOSECONDS.toMicros(refusedAt - start));
            fromReturn.add(TimeUnit.NANOSECONDS.toMicros(refusedAt - returned));
            servedAfterReturn.add(served);
        }
        Collections.sort(fromStart);
        Collections.sort(fromReturn);
        report.append("Disconnect on A until B refuses alice's token, ").append(DISCONNECTS).append(" runs (after ")
                .append(WARM_UP_DISCONNECTS).append(" warm-up), until B's refusal arrived (microseconds):\n")
                .append("  from the start of the disconnect: p50 ").append(percentile(fromStart, 50)).append(", p99 ")
                .append(percentile(fromStart, 99)).append(", max ").append(fromStart.get(fromStart.size() - 1))
                .append('\n')
                .append("  from its answer: p50 ").append(percentile(fromReturn, 50)).append(", p99 ")
                .append(percentile(fromReturn, 99)).append(", max ").append(fromReturn.get(fromReturn.size() - 1))
                .append('\n')
                .append("  calls B served with the old token after the disconnect answered, per run: ")
                .append(servedAfterReturn).append('\n');
        users.report(report);
    }

    /** Alice authorizes on A: the link, the provider's redirect, Conduit's callback (as a browser would follow). */
    private void authorize(String system, UserProvider users) throws IOException, InterruptedException {
        HttpResponse<String> link = send("POST", urlA + "/api/connected-systems/" + system + "/authorization-link",
                "alice", null);
        String url = member(link, "url");
        HttpResponse<String> redirect = send("GET", url, null, null);
        String callback = redirect.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("the provider did not redirect: " + redirect.statusCode()));
        HttpResponse<String> completed = send("GET", callback, "alice", null);
        if (completed.statusCode() != 200) {
            throw new IllegalStateException("the callback answered " + completed.statusCode());
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** A connected system as the bench's client, calling the loopback resource server. */
    private static Map<String, Object> draft(String name, String grantType, String tokenEndpoint, String resourceBase) {
        Map<String, Object> draft = new LinkedHashMap<>();
        draft.put("name", name);
        draft.put("grantType", grantType);
        draft.put("tokenEndpoint", tokenEndpoint);
        draft.put("integrationBaseUrl", resourceBase);
        draft.put("clientId", LoopbackTokenServer.CLIENT_ID);
        draft.put("clientSecret", LoopbackTokenServer.CLIENT_SECRET);
        draft.put("clientAuthMethod", "client_secret_basic");
        draft.put("scope", "read");
        return draft;
    }

    private void create(String name, Map<String, Object> draft) throws IOException, InterruptedException {
        send("DELETE", urlA + "/api/connected-systems/" + name, "admin", null);
        HttpResponse<String> created = send("POST", urlA + "/api/connected-systems", "admin",
                Json.createObjectBuilder(draft).build().toString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("could not create " + name + ": " + created.statusCode() + " "
                    + created.body());
        }
    }

    private HttpResponse<String> send(String method, String url, String user, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + user + "-pass").getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A member of a JSON answer as text (a number's digits); "" when absent or not JSON. */
    private static String member(HttpResponse<String> answer, String name) {
        try {
            JsonObject json = Json.createReader(new StringReader(answer.body())).readObject();
            return json.containsKey(name) ? json.get(name).toString().replace("\"", "") : "";
        } catch (JsonException | IllegalStateException notJson) {
            return "";
        }
    }

    /** The nearest-rank percentile of sorted values. */
    private static long percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /**
     * A loopback provider for one user's authorization: {@code /authorize} redirects at once to the redirect URI with
     * a code and the state, {@code /token} answers an authorization code or a refresh token with a fresh token pair
     * (one hour), {@code /revoke} accepts. The disconnect figure measures Conduit, not a provider.
     */
    private static final class UserProvider implements AutoCloseable {

        private final HttpServer server;
        private final AtomicInteger issued = new AtomicInteger();
        private final AtomicInteger revoked = new AtomicInteger();

        private UserProvider(HttpServer server) {
            this.server = server;
        }

        static UserProvider start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            UserProvider provider = new UserProvider(server);
            server.createContext("/authorize", provider::authorize);
            server.createContext("/token", provider::token);
            server.createContext("/revoke", provider::revoke);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return provider;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void report(StringBuilder report) {
            report.append("  provider: ").append(issued.get()).append(" token pairs issued, ").append(revoked.get())
                    .append(" revocations\n");
        }

        private void authorize(HttpExchange exchange) throws IOException {
            try (exchange) {
                Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
                String location = query.get("redirect_uri") + "?code=code-" + System.nanoTime() + "&state="
                        + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Location", location);
                exchange.sendResponseHeaders(302, -1);
            }
        }

        private void token(HttpExchange exchange) throws IOException {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
                int number = issued.incrementAndGet();
                // the resource server accepts bench tokens only
                byte[] answer = ("{\"access_token\":\"bench-token-user-" + number + "-" + System.nanoTime()
                        + "\",\"refresh_token\":\"user-refresh-" + number + "-" + System.nanoTime()
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"read\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        }

        private void revoke(HttpExchange exchange) throws IOException {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
                revoked.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            }
        }

        private static Map<String, String> form(String raw) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                values.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            return values;
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
