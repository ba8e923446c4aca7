package dev.conduit.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
        HttpResponse<String> ready = awaitReady(base.resolve("/health/ready"), log);
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

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> awaitReady(URI ready, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("conduit.jar ended with " + server.exitValue() + ":\n" + tail(log));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response;
                }
            } catch (IOException notListeningYet) {
                // the server opens its port late in its start
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no 200 from " + ready + " within " + READY_WITHIN + ":\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
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
