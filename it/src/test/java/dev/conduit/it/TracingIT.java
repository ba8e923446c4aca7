package dev.conduit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces: with MicroProfile Telemetry on (the test server exports spans to its log), an integration call carries the
 * W3C {@code traceparent} of its span to the resource server, and no span holds the token.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TracingIT {

    /** W3C Trace Context: version 00, a 32-hex trace id, a 16-hex parent span id, flags. */
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[0-9a-f]");

    private static RecordingProxy keycloak;
    private static HttpServer resourceServer;
    private static final List<Map<String, List<String>>> received = new CopyOnWriteArrayList<>();

    private final ConduitApi admin = ConduitApi.admin();
    private String name;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConduitDeployment.war();
    }

    @BeforeAll
    static void start() throws IOException {
        keycloak = RecordingProxy.start(Keycloak.server().baseUri());
        resourceServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        resourceServer.createContext("/api", exchange -> {
            received.add(Map.copyOf(exchange.getRequestHeaders()));
            byte[] body = "{\"id\":42}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        resourceServer.start();
    }

    @AfterAll
    static void stop() {
        resourceServer.stop(0);
        keycloak.close();
    }

    @AfterEach
    void deleteSystem() {
        if (name != null) {
            admin.deleteSystemIfPresent(name);
        }
    }

    @Test
    void invokeWhenTracingIsOnThenTheResourceServerReceivesATraceparentAndNoSpanHoldsTheToken() throws IOException {
        name = TestSystems.uniqueName("traced");
        Map<String, Object> system = TestSystems.clientCredentials(name, keycloak, RealmClients.CC_SECRET, "orders.read");
        system.put("integrationBaseUrl", "http://127.0.0.1:" + resourceServer.getAddress().getPort() + "/api");
        Response saved = admin.createSystem(system);
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);

        Response call = admin.invokeGet(name, "orders/42", Map.of());

        assertThat(call.json().get("status").asInt()).as(call.toString()).isEqualTo(200);
        assertThat(received).hasSize(1);
        String traceparent = header(received.get(0), "traceparent");
        Matcher context = TRACEPARENT.matcher(traceparent == null ? "" : traceparent);
        assertThat(context.matches()).as("traceparent " + traceparent).isTrue();
        String traceId = context.group(1);
        String token = header(received.get(0), "authorization").substring("Bearer ".length());
        Path log = Path.of(System.getProperty("it.server.dir"), "logs", "messages.log");
        // the integration call's span (named after its method) is exported in the call's trace, with the system;
        // the token was requested by the save's test, in that request's trace
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spanLines(log, traceId))
                .anySatisfy(line -> assertThat(line).contains("'GET'").contains(name)));
        String exported = Files.readString(log);
        assertThat(exported.lines()).anySatisfy(line -> assertThat(line).contains("'conduit token acquire'")
                .contains(name).contains("client_credentials"));
        assertThat(exported).doesNotContain(token).doesNotContain(RealmClients.CC_SECRET);
    }

    private static List<String> spanLines(Path log, String traceId) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(line -> line.contains(traceId)).toList();
    }

    private static String header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
}
