package dev.conduit.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.core.testing.TrustingTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starts target/conduit.jar the way an operator does, with nothing but Java, and stops it again. */
class RunnableJarIT {

    /** About 10 s on an idle machine; a 2-core machine shared by parallel builds has taken 150 s and more. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(300);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path workDir = Path.of(System.getProperty("work.dir"));
    private Process server;

    @Test
    void javaJarWhenStartedThenReadyWithTheDemoLoginsAndStopsCleaningUpItsExtraction() throws Exception {
        Path jar = Path.of(System.getProperty("conduit.jar"));
        assertThat(jar).isRegularFile();
        Path extractRoot = workDir.resolve("extract");
        Path dataDir = workDir.resolve("data");
        Path log = workDir.resolve("conduit-jar.log");
        Files.createDirectories(workDir);
        int httpPort = freePort();

        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // server.xml variables come from the environment (http.port -> http_port); the data outlives the extraction
        builder.environment().put("http_port", Integer.toString(httpPort));
        builder.environment().put("https_port", Integer.toString(freePort()));
        builder.environment().put("CONDUIT_DATA_DIR", dataDir.toString());
        builder.environment().put("WLP_JAR_EXTRACT_ROOT", extractRoot.toString());
        long started = System.nanoTime();
        server = builder.start();

        URI base = URI.create("http://localhost:" + httpPort);
        Answer ready = awaitReady(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        }, log);
        System.out.printf("conduit.jar (%d MB): first 200 from /health/ready after %.1f s%n",
                Files.size(jar) / (1024 * 1024), (System.nanoTime() - started) / 1e9);
        assertThat(ready.body()).contains("\"status\":\"UP\"");

        HttpResponse<String> systems = http.send(HttpRequest.newBuilder(base.resolve("/api/connected-systems"))
                .header("Authorization", basic("admin", "admin-pass")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(systems.statusCode()).as(systems.body()).isEqualTo(200);
        assertThat(dataDir).isDirectory();

        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("conduit.jar stops on SIGTERM").isTrue();
        assertThat(Files.readString(log)).doesNotContain("CWWKF0001E").contains("CWWKE0036I");
        try (Stream<Path> left = Files.walk(extractRoot)) {
            assertThat(left.filter(Files::isRegularFile).filter(file -> !file.toString().contains("/logs/")).toList())
                    .as("the extracted server is removed on exit, but its logs").isEmpty();
        }
    }

    /**
     * The production profile as an operator starts it: the organisation's registry from a file, https only, and no
     * connected system can point at this machine, over http or https.
     */
    @Test
    void javaJarWhenProductionProfileThenHttpsOnlyAndNoEndpointOnThisMachineAndNoUnsafeSettingWarned()
            throws Exception {
        Path jar = Path.of(System.getProperty("conduit.jar"));
        Path log = workDir.resolve("conduit-jar-production.log");
        Files.createDirectories(workDir);
        String password = UUID.randomUUID().toString();
        Path registry = workDir.resolve("registry.xml");
        Files.writeString(registry, """
                <server>
                  <basicRegistry id="organisation" realm="Conduit">
                    <user name="ops" password="%s"/>
                    <group name="conduit-admins"><member name="ops"/></group>
                  </basicRegistry>
                </server>
                """.formatted(password));
        int httpPort = freePort();
        int httpsPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("CONDUIT_PROFILE", "production");
        // Liberty's own variable: it generates the https certificate's keystore under this password
        String keystorePassword = UUID.randomUUID().toString();
        builder.environment().put("keystore_password", keystorePassword);
        builder.environment().put("CONDUIT_REGISTRY_FILE", registry.toString());
        builder.environment().put("CONDUIT_PUBLIC_URL", "https://localhost:" + httpsPort);
        builder.environment().put("http_port", Integer.toString(httpPort));
        builder.environment().put("https_port", Integer.toString(httpsPort));
        builder.environment().put("CONDUIT_DATA_DIR", workDir.resolve("data-production").toString());
        builder.environment().put("WLP_JAR_EXTRACT_ROOT", workDir.resolve("extract-production").toString());
        server = builder.start();

        URI base = URI.create("https://localhost:" + httpsPort);
        awaitReady(() -> https("GET", base.resolve("/health/ready"), null, null), log);

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort
                + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()))
                .as("no plain http port").isInstanceOf(IOException.class);
        try (ServerSocket tokenServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread counter = new Thread(() -> {
                while (!tokenServer.isClosed()) {
                    try (Socket ignored = tokenServer.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "loopback-token-server");
            counter.setDaemon(true);
            counter.start();
            for (String scheme : List.of("http", "https")) {
                String system = """
                        {"name": "crm-%s", "grantType": "client_credentials",
                         "tokenEndpoint": "%s://127.0.0.1:%d/token", "integrationBaseUrl": "https://crm.example.com/api",
                         "clientId": "conduit", "clientSecret": "%s"}""".formatted(scheme, scheme,
                        tokenServer.getLocalPort(), UUID.randomUUID());
                Answer refused = https("POST", base.resolve("/api/connected-systems"), system, basic("ops", password));
                assertThat(refused.status()).as(refused.body()).isEqualTo(400);
                assertThat(refused.body()).contains("ENDPOINT_NOT_ALLOWED").contains("tokenEndpoint");
            }
            assertThat(connections).as("requests that reached the loopback token server").hasValue(0);
            tokenServer.close();
            counter.join(5_000);
        }
        assertThat(Files.readString(log)).doesNotContain("Unsafe setting for production")
                .doesNotContain("every login is refused").doesNotContain(password)
                .doesNotContain(keystorePassword);
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private record Answer(int status, String body) {
    }

    private interface Probe {
        Answer call() throws IOException, InterruptedException;
    }

    private Answer awaitReady(Probe ready, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("conduit.jar ended with " + server.exitValue() + ":\n" + tail(log));
            }
            try {
                Answer response = ready.call();
                if (response.status() == 200) {
                    return response;
                }
            } catch (IOException notListeningYet) {
                // the server opens its port late in its start
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no 200 from /health/ready within " + READY_WITHIN + ":\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * One request over https to the server's own generated certificate, which no trust store knows: the test trusts
     * it and its host name as they come, as a first start on a new machine would.
     */
    private static Answer https(String method, URI uri, String json, String authorization) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
        connection.setSSLSocketFactory(TrustingTls.anyCertificate().getSocketFactory());
        connection.setHostnameVerifier((host, session) -> true);
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(10_000);
        connection.setRequestMethod(method);
        if (authorization != null) {
            connection.setRequestProperty("Authorization", authorization);
        }
        if (json != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (var out = connection.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        try (var in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            connection.disconnect();
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
