package dev.conduit.core.policy;

import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.core.discovery.MetadataDiscovery;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.integration.IntegrationClient;
import dev.conduit.core.integration.IntegrationRequest;
import dev.conduit.core.integration.ProxyBody;
import dev.conduit.core.integration.ProxyRequest;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.ConnectionCounter;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.LoopbackTlsServer;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.core.testing.RebindingResolver;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS answers are checked when each connection opens: a name that resolves to an allowed address for the check before
 * a request and to a refused one when the client connects (DNS rebinding) reaches nothing, on every outbound path.
 */
class EgressTest {

    private static final String REBOUND = "rebind.test";
    /** TEST-NET-3: a public address as far as the policy is concerned, and one nothing here listens on. */
    private static final String PUBLIC = "203.0.113.7";

    private final ConnectionCounter loopback = ConnectionCounter.on(InetAddress.getLoopbackAddress());
    private final HostileTokenServer tokenServer = HostileTokenServer.start();
    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    /** Checked as a public address, connected as loopback: https must never reach loopback through it. */
    private final EndpointPolicy rebindingToLoopback = new EndpointPolicy(true, List.of(),
            new RebindingResolver(REBOUND, PUBLIC, "127.0.0.1"));

    @AfterEach
    void stop() {
        loopback.close();
        tokenServer.close();
    }

    private String reboundUrl(String path) {
        return "https://" + REBOUND + ":" + loopback.port() + path;
    }

    private static void assertRefusedAtConnection(Throwable thrown) {
        assertThat(thrown).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
            assertThat(e.getMessage()).contains("connection to rebind.test (checked as it opened): resolves to")
                    .contains("loopback address (127.0.0.1)");
        });
    }

    @Test
    void tokenRequestWhenTheNameRebindsToLoopbackAtConnectionThenEndpointNotAllowedAndNothingConnects() {
        HttpTokenEndpointFactory endpoints = new HttpTokenEndpointFactory(rebindingToLoopback,
                TestSystems.answeringSettings(), clock);
        ConnectedSystem system = TestSystems.clientCredentials(tokenServer).tokenEndpoint(reboundUrl("/token")).build();

        Throwable thrown = catchThrowable(() -> endpoints.forSystem(system)
                .requestToken(Map.of("grant_type", "client_credentials")));

        assertRefusedAtConnection(thrown);
        assertThat(loopback.connections()).isZero();
    }

    @Test
    void revocationWhenTheNameRebindsToLoopbackAtConnectionThenNotRevokedAndNothingConnects() {
        HttpTokenEndpointFactory endpoints = new HttpTokenEndpointFactory(rebindingToLoopback,
                TestSystems.answeringSettings(), clock);
        ConnectedSystem system = TestSystems.clientCredentials(tokenServer).revocationEndpoint(reboundUrl("/revoke"))
                .build();

        boolean revoked = endpoints.forSystem(system).revoke(dev.conduit.api.Secret.of("refresh-4c1d"), null);

        assertThat(revoked).isFalse();
        assertThat(loopback.connections()).isZero();
    }

    @Test
    void discoveryWhenTheIssuerRebindsToLoopbackAtConnectionThenEndpointNotAllowedAndNothingConnects() {
        MetadataDiscovery discovery = new MetadataDiscovery(rebindingToLoopback, TestSystems.answeringSettings());

        Throwable thrown = catchThrowable(() ->
                discovery.discover(reboundUrl("/realms/acme")));

        assertRefusedAtConnection(thrown);
        assertThat(loopback.connections()).isZero();
    }

    /** An integration client whose system takes tokens from the test server and calls {@code rebind.test}. */
    private IntegrationClient integrationClient(InMemoryConnectedSystemRepository systems) {
        systems.create(TestSystems.clientCredentials(tokenServer).integrationBaseUrl(reboundUrl("/api")).build());
        tokenServer.enqueue(okToken("tok-1", 3600));
        TokenService tokens = new TokenService(systems, new InMemoryTokenStore(),
                GrantRegistry.of(new ClientCredentialsGrant()),
                new HttpTokenEndpointFactory(rebindingToLoopback, TestSystems.answeringSettings(), clock), clock);
        return new IntegrationClient(systems, tokens, rebindingToLoopback, TestSystems.answeringSettings());
    }

    @Test
    void invokeWhenTheBaseUrlRebindsToLoopbackAtConnectionThenEndpointNotAllowedAndNothingConnects() {
        IntegrationClient client = integrationClient(new InMemoryConnectedSystemRepository(clock));

        Throwable thrown = catchThrowable(() -> client.invoke(TestSystems.SYSTEM_NAME,
                Subject.application(), IntegrationRequest.get("orders/42")));

        assertRefusedAtConnection(thrown);
        assertThat(loopback.connections()).isZero();
    }

    @Test
    void proxyWhenTheBaseUrlRebindsToLoopbackAtConnectionThenEndpointNotAllowedAndNothingConnects() {
        InMemoryConnectedSystemRepository systems = new InMemoryConnectedSystemRepository(clock);
        IntegrationClient client = integrationClient(systems);

        Throwable thrown = catchThrowable(() -> client.forward(
                systems.find(TestSystems.SYSTEM_NAME).orElseThrow(), Subject.application(),
                new ProxyRequest("GET", "orders/42", null, Map.of(), ProxyBody.NONE)));

        assertRefusedAtConnection(thrown);
        assertThat(loopback.connections()).isZero();
    }

    @Test
    void httpsWhenTheHostIsAllowListedThenTheTunnelConnectsToTheAddressCheckedAtConnection() {
        // the control for the tests above: the same rebinding, with the name allow-listed, does reach the listener
        EndpointPolicy allowListed = new EndpointPolicy(true, List.of(REBOUND),
                new RebindingResolver(REBOUND, PUBLIC, "127.0.0.1"));
        HttpTokenEndpointFactory endpoints = new HttpTokenEndpointFactory(allowListed, TestSystems.answeringSettings(),
                clock);
        ConnectedSystem system = TestSystems.clientCredentials(tokenServer).tokenEndpoint(reboundUrl("/token")).build();

        Throwable thrown = catchThrowable(() -> endpoints.forSystem(system)
                .requestToken(Map.of("grant_type", "client_credentials")));

        // the listener closes at once, so the TLS handshake fails: the provider is unreachable, nothing was refused
        assertThat(thrown).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE));
        assertThat(loopback.connections()).isEqualTo(1);
        assertThat(allowListed.egress().tunnelledConnections()).isEqualTo(1);
    }

    @Test
    void plainHttpWhenTheNameRebindsAwayFromLoopbackAtConnectionThenEndpointNotAllowedAndNothingConnects() {
        InetAddress own = nonLoopbackAddress().orElse(null);
        assumeTrue(own != null, "this machine has no non-loopback IPv4 address to rebind to");
        try (ConnectionCounter elsewhere = ConnectionCounter.on(own)) {
            EndpointPolicy policy = new EndpointPolicy(true, List.of(),
                    new RebindingResolver(REBOUND, "127.0.0.1", own.getHostAddress()));
            HttpTokenEndpointFactory endpoints = new HttpTokenEndpointFactory(policy, TestSystems.answeringSettings(),
                    clock);
            ConnectedSystem system = TestSystems.clientCredentials(tokenServer)
                    .tokenEndpoint("http://" + REBOUND + ":" + elsewhere.port() + "/token").build();

            Throwable thrown = catchThrowable(() -> endpoints.forSystem(system)
                    .requestToken(Map.of("grant_type", "client_credentials")));

            assertThat(thrown).isInstanceOfSatisfying(ConduitException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
                assertThat(e.getMessage()).contains("plain http is allowed only on a loopback host")
                        .contains(own.getHostAddress());
            });
            assertThat(elsewhere.connections()).isZero();
        }
    }

    @Test
    void plainHttpWhenAllowedThenSentToTheCheckedAddressWithTheHostHeaderKept() {
        tokenServer.enqueue(okToken("tok-7", 3600));
        EndpointPolicy policy = new EndpointPolicy(true, List.of(),
                new RebindingResolver("provider.localhost", "127.0.0.1", "127.0.0.1"));
        ConnectedSystem system = TestSystems.clientCredentials(tokenServer)
                .tokenEndpoint("http://provider.localhost:" + tokenServer.port() + "/token").build();

        new HttpTokenEndpointFactory(policy, TestSystems.answeringSettings(), clock).forSystem(system)
                .requestToken(Map.of("grant_type", "client_credentials"));

        assertThat(tokenServer.requestCount("/token")).isEqualTo(1);
        assertThat(tokenServer.lastRequest().header("Host")).contains("provider.localhost:" + tokenServer.port());
    }

    /** A client that connects through {@code policy}'s egress and trusts {@code tls}'s certificate alone. */
    private static HttpClient client(LoopbackTlsServer tls, EndpointPolicy policy) {
        return HttpClient.newBuilder().proxy(policy.egress()).sslContext(tls.clientTls())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code tunnel.test} allow-listed: checked as a public address, connected on loopback, where the server is. */
    private static EndpointPolicy tunnelPolicy() {
        return new EndpointPolicy(false, List.of("tunnel.test"), new RebindingResolver("tunnel.test", PUBLIC,
                "127.0.0.1"));
    }

    @Test
    void httpsThroughTheTunnelWhenAllowedThenTlsAndTheServerNameStayEndToEnd(@TempDir Path directory)
            throws Exception {
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(directory, "tunnel.test")) {
            EndpointPolicy policy = tunnelPolicy();
            HttpClient client = client(tls, policy);
            HttpRequest request = HttpRequest.newBuilder(tls.uri("/hello?x=1")).build();

            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> again = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello /hello?x=1");
            assertThat(again.statusCode()).isEqualTo(200);
            // the second request reuses the tunnel the first opened
            assertThat(policy.egress().tunnelledConnections()).isEqualTo(1);
        }
    }

    @Test
    void httpsThroughTheTunnelWhenManyRequestsAtOnceThenEachAnsweredByTheServer(@TempDir Path directory)
            throws Exception {
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(directory, "tunnel.test")) {
            EndpointPolicy policy = tunnelPolicy();
            HttpClient client = client(tls, policy);
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> pending = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                pending.add(client.sendAsync(HttpRequest.newBuilder(tls.uri("/hello?n=" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }

            for (int i = 0; i < pending.size(); i++) {
                HttpResponse<String> response = pending.get(i).get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello /hello?n=" + i);
            }
            assertThat(policy.egress().tunnelledConnections()).isBetween(1L, 32L);
        }
    }

    // ---- the tunnel as an HTTP proxy, for clients that are not Conduit's own

    @Test
    void tunnelWhenConnectToARefusedAddressThenMarked403WithTheErrorCodeAndNothingConnects() throws IOException {
        EndpointPolicy policy = new EndpointPolicy(true, List.of(), new RebindingResolver(REBOUND, PUBLIC, "127.0.0.1"));

        String answer = exchange(policy.egress().tunnelAddress(), "CONNECT " + REBOUND + ":" + loopback.port()
                + " HTTP/1.1\r\nHost: " + REBOUND + ":" + loopback.port() + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403 ").contains("\"code\":\"ENDPOINT_NOT_ALLOWED\"")
                .contains("loopback address (127.0.0.1)").contains("\"hint\":");
        String marker = header(answer, Egress.ANSWER_HEADER);
        assertThat(policy.egress().answeredHere(marker)).isTrue();
        assertThat(policy.egress().answeredHere("a-server-posing-as-the-tunnel")).isFalse();
        assertThat(new EndpointPolicy(true, List.of(), HostResolver.SYSTEM).egress().answeredHere(marker)).isFalse();
        assertThat(loopback.connections()).isZero();
    }

    @Test
    void tunnelWhenAbsoluteFormHttpRequestsToLoopbackThenForwardedInOriginFormOnOneKeptConnection() throws Exception {
        tokenServer.path("/api/orders").setDefault(dev.conduit.core.testing.ScriptedResponse.json(200, "{\"n\":1}"));
        tokenServer.path("/api/empty").setDefault(dev.conduit.core.testing.ScriptedResponse.status(204));
        EndpointPolicy policy = TestSystems.loopbackPolicy();
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(policy.egress().tunnelAddress())).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create(tokenServer.url("/api/orders?page=2"))).header("Proxy-Authorization", "Basic eDp5").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(tokenServer.url("/api/orders")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> empty = client.send(HttpRequest.newBuilder(URI.create(tokenServer.url("/api/empty")))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> again = client.send(HttpRequest.newBuilder(URI.create(tokenServer.url("/api/orders")))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"n\":1}");
        assertThat(response.headers().firstValue("Connection")).isEmpty();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(empty.statusCode()).isEqualTo(204);
        assertThat(again.body()).isEqualTo("{\"n\":1}");
        assertThat(tokenServer.requests("/api/orders").get(0).queryParameter("page")).contains("2");
        assertThat(tokenServer.requests("/api/orders").get(0).header("Proxy-Authorization")).isEmpty();
        // four requests, one connection to the server: the tunnel keeps it while requests go to the same host
        assertThat(policy.egress().forwardedRequests()).isEqualTo(4);
        assertThat(policy.egress().tunnelledConnections()).isEqualTo(1);
    }

    @Test
    void tunnelWhenAbsoluteFormPostWithAFixedOrAChunkedBodyOrExpectContinueThenTheBodyArrivesWhole() throws Exception {
        tokenServer.path("/api/orders").setDefault(dev.conduit.core.testing.ScriptedResponse.json(201, "{}"));
        EndpointPolicy policy = TestSystems.loopbackPolicy();
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(policy.egress().tunnelAddress())).build();
        String body = "{\"lines\":\"" + "x".repeat(100_000) + "\"}";
        URI orders = URI.create(tokenServer.url("/api/orders"));

        HttpResponse<String> fixed = client.send(HttpRequest.newBuilder(orders)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(orders)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        body.getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> continued = client.send(HttpRequest.newBuilder(orders).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(List.of(fixed.statusCode(), chunked.statusCode(), continued.statusCode()))
                .containsExactly(201, 201, 201);
        assertThat(tokenServer.requests("/api/orders")).extracting(r -> r.bodyText()).containsExactly(body, body, body);
        assertThat(policy.egress().tunnelledConnections()).isEqualTo(1);
    }

    @Test
    void tunnelWhenOneConnectionAsksForTwoHostsThenEachRequestGoesToItsOwnHost() throws IOException {
        tokenServer.path("/api/a").setDefault(dev.conduit.core.testing.ScriptedResponse.text(200, "first"));
        try (HostileTokenServer other = HostileTokenServer.start()) {
            other.path("/api/b").setDefault(dev.conduit.core.testing.ScriptedResponse.text(200, "second"));
            EndpointPolicy policy = TestSystems.loopbackPolicy();

            String answers = exchange(policy.egress().tunnelAddress(),
                    "GET " + tokenServer.url("/api/a") + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET " + other.url("/api/b") + " HTTP/1.1\r\nHost: y\r\nConnection: close\r\n\r\n");

            assertThat(answers).contains("first").contains("second").endsWith("second");
            assertThat(tokenServer.requestCount("/api/a")).isEqualTo(1);
            assertThat(other.requestCount("/api/b")).isEqualTo(1);
            assertThat(policy.egress().tunnelledConnections()).isEqualTo(2);
        }
    }

    @Test
    void tunnelWhenARequestFramesItsBodyTwoWaysThen400AndNothingIsSent() throws IOException {
        EndpointPolicy policy = TestSystems.loopbackPolicy();

        String answer = exchange(policy.egress().tunnelAddress(), "POST " + tokenServer.url("/api/orders")
                + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"code\":\"INVALID_REQUEST\"");
        assertThat(tokenServer.requestCount()).isZero();
        assertThat(policy.egress().tunnelledConnections()).isZero();
    }

    @Test
    void tunnelWhenTheServerEndsItsAnswerByClosingThenTheClientIsToldAndTheConnectionEnds() throws Exception {
        try (java.net.ServerSocket closing = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket socket = closing.accept()) {
                    new Http1Input(socket.getInputStream()).readHead();
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the test fails on the answer
                }
            });
            server.start();

            String answer = exchange(TestSystems.loopbackPolicy().egress().tunnelAddress(), "GET http://127.0.0.1:"
                    + closing.getLocalPort() + "/x HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("Connection: close").endsWith("until the end");
            server.join(10_000);
        }
    }

    @Test
    void tunnelWhenPlainHttpToAPublicAddressThenRefused() throws IOException {
        EndpointPolicy policy = new EndpointPolicy(true, List.of(), new RebindingResolver(REBOUND, PUBLIC, PUBLIC));

        String answer = exchange(policy.egress().tunnelAddress(), "GET http://" + REBOUND + "/x HTTP/1.1\r\nHost: "
                + REBOUND + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403 ").contains("\"code\":\"ENDPOINT_NOT_ALLOWED\"")
                .contains("plain http is allowed only on a loopback host");
    }

    @Test
    void tunnelWhenNotAProxyRequestThen400() throws IOException {
        String answer = exchange(TestSystems.loopbackPolicy().egress().tunnelAddress(),
                "GET /relative HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"code\":\"INVALID_REQUEST\"");
    }

    @Test
    void tunnelWhenUsedThenItsAddressStaysTheSameUntilClosed() {
        EndpointPolicy policy = TestSystems.loopbackPolicy();
        InetSocketAddress first = policy.egress().tunnelAddress();

        assertThat(policy.egress().tunnelAddress()).isEqualTo(first);
        policy.close();

        // refused, or (when the connection raced the listening socket's close) ended with no answer
        String answer;
        try {
            answer = exchange(first, "CONNECT x:1 HTTP/1.1\r\n\r\n");
        } catch (IOException e) {
            answer = "";
        }
        assertThat(answer).as("what the closed tunnel answered").isEmpty();
    }

    /** Sends {@code request} on a new connection and reads the answer to its end. */
    private static String exchange(InetSocketAddress address, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static String header(String answer, String name) {
        for (String line : answer.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + name + " in " + answer);
    }

    private static Optional<InetAddress> nonLoopbackAddress() {
        try {
            for (NetworkInterface face : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (face.isUp() && !face.isLoopback()) {
                    for (InetAddress address : Collections.list(face.getInetAddresses())) {
                        if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                            return Optional.of(address);
                        }
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
