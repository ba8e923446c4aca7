package dev.conduit.it.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One Keycloak process started from the unpacked {@code keycloak-quarkus-dist}: {@code kc.sh start-dev} on a free
 * loopback port, with {@code --hostname} fixed so that the issuer never follows the Host header, and the realms of
 * {@code realmDir} imported. {@link #stop()} ends the whole process tree: {@code kc.sh} runs Keycloak as a child JVM,
 * and killing the script alone would leave that JVM running.
 */
public final class KeycloakServer {

    /** Bootstrap administrator of the master realm (Keycloak's admin REST API). */
    public static final String ADMIN_USER = "kc-admin";
    public static final String ADMIN_PASSWORD = "kc-admin-password";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Settings settings;
    private final int port;
    private final Process process;

    /**
     * Where Keycloak lives and what it loads.
     *
     * @param home       the unpacked distribution ({@code keycloak-26.x})
     * @param realmDir   the realm JSON files to import
     * @param workDir    where the log and the PID file go
     * @param readyRealm the realm whose discovery document signals readiness
     */
    public record Settings(Path home, Path realmDir, Path workDir, String readyRealm) {

        static Settings fromSystemProperties(String readyRealm) {
            return new Settings(Path.of(required("keycloak.home")), Path.of(required("keycloak.realm.dir")),
                    Path.of(required("keycloak.work.dir")), readyRealm);
        }

        Path logFile() {
            return workDir.resolve("keycloak.log");
        }

        Path pidFile() {
            return workDir.resolve("keycloak.pid");
        }
    }

    private KeycloakServer(Settings settings, int port, Process process) {
        this.settings = settings;
        this.port = port;
        this.process = process;
    }

    /** Starts Keycloak and waits until the ready realm's discovery document answers; kills it when it does not. */
    public static KeycloakServer start(Settings settings) {
        killStale(settings);
        try {
            Files.createDirectories(settings.workDir());
            copyRealms(settings);
            int port = freeLoopbackPort();
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", settings.home().resolve("bin/kc.sh").toString(),
                    "start-dev",
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    "--hostname=http://localhost:" + port,
                    "--db=dev-mem",
                    "--import-realm")
                    .directory(settings.home().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(settings.logFile().toFile());
            Map<String, String> env = builder.environment();
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            // a small heap: the build machine has 2 cores and runs Liberty and Chromium too
            env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m -XX:TieredStopAtLevel=1");
            Process process = builder.start();
            Files.writeString(settings.pidFile(), Long.toString(process.pid()));
            KeycloakServer server = new KeycloakServer(settings, port, process);
            try {
                server.awaitReady();
            } catch (RuntimeException e) {
                server.stop();
                throw e;
            }
            server.rememberPids();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak from " + settings.home(), e);
        }
    }

    /** {@code http://localhost:PORT}, the host name Keycloak was started with. */
    public URI baseUri() {
        return URI.create("http://localhost:" + port);
    }

    public Path logFile() {
        return settings.logFile();
    }

    /** Ends Keycloak and every process it started, politely first, then forcibly. Safe to call twice. */
    public synchronized void stop() {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        destroyAll(tree);
        try {
            Files.deleteIfExists(settings.pidFile());
        } catch (IOException ignored) {
            // the next start checks the PIDs' command lines before killing anything
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI discovery = baseUri().resolve("/realms/" + settings.readyRealm() + "/.well-known/openid-configuration");
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " before it was ready:\n"
                        + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(discovery)
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("Keycloak was not ready within " + READY_TIMEOUT + " at " + discovery + ":\n"
                + logTail());
    }

    /** Records every PID of the tree, so that a later run can end a Keycloak this JVM could not stop. */
    private void rememberPids() throws IOException {
        String pids = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .map(handle -> Long.toString(handle.pid()))
                .collect(Collectors.joining("\n"));
        Files.writeString(settings.pidFile(), pids);
    }

    /** Ends a Keycloak left behind by an earlier run that was killed before it could clean up. */
    private static void killStale(Settings settings) {
        Path pidFile = settings.pidFile();
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            String home = settings.home().toAbsolutePath().toString();
            List<ProcessHandle> stale = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream()
                    .map(String::trim).filter(line -> !line.isEmpty())
                    .map(Long::parseLong)
                    .map(ProcessHandle::of).flatMap(Optional::stream)
                    // a PID may have been reused: only end processes that run this Keycloak distribution
                    .filter(handle -> handle.info().commandLine().map(cmd -> cmd.contains(home)).orElse(false))
                    .flatMap(handle -> Stream.concat(handle.descendants(), Stream.of(handle)))
                    .toList();
            destroyAll(stale);
            Files.delete(pidFile);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("could not read " + pidFile + "; end the Keycloak it names by hand", e);
        }
    }

    private static void destroyAll(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(STOP_GRACE);
        for (ProcessHandle handle : processes) {
            Duration left = Duration.between(Instant.now(), deadline);
            try {
                handle.onExit().get(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
            } catch (Exception stillRunning) {
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : processes) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Keycloak process " + handle.pid() + " did not exit", e);
            }
        }
    }

    private static void copyRealms(Settings settings) throws IOException {
        Path importDir = settings.home().resolve("data/import");
        Files.createDirectories(importDir);
        try (Stream<Path> realms = Files.list(settings.realmDir())) {
            for (Path realm : realms.filter(p -> p.toString().endsWith(".json")).toList()) {
                Files.copy(realm, importDir.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(settings.logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + settings.logFile() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it in it/pom.xml)");
        }
        return value;
    }
}
