package dev.conduit.web.restclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.token.Subject;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.testing.ConnectionCounter;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.LoopbackTlsServer;
import dev.conduit.core.testing.RebindingResolver;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.web.TestConduit;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.RedirectionException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.client.Invocation;
import java.io.Closeable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.jboss.resteasy.client.jaxrs.ClientHttpEngine;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed clients built by RESTEasy's MicroProfile Rest Client (the implementation inside Liberty's
 * {@code mpRestClient}), which finds {@link EgressRouting} through ServiceLoader as it does in the server: every call
 * connects through the egress tunnel, and a name that answers an allowed address when {@link ConduitAuthentication}
 * checks it but a refused one when the tunnel connects (DNS rebinding) never reaches the second address.
 *
 * <p>{@link RebindingResolver} tells the two moments apart: the tunnel resolves inside the policy's egress.
 */
class TypedClientEgressTest {

    @ConnectedSystemName("orders")
    @Path("orders")
    public interface OrdersApi extends Closeable {
        @GET
        @Path("42")
        @Produces(MediaType.APPLICATION_JSON)
        String get();
    }

    /** Names no system on itself: registering the filter is what makes its calls carry a token. */
    @RegisterProvider(ConduitAuthentication.class)
    @Path("orders")
    public interface RegisteringApi extends Closeable {
        @GET
        @Path("42")
        @ConnectedSystemName("orders")
        String get();
    }

    /** Configured to follow redirects by {@code typedClientWhenConfiguredToFollowRedirects...} alone. */
    @ConnectedSystemName("orders")
    @Path("orders")
    public interface RedirectedApi extends Closeable {
        @GET
        @Path("42")
        String get();
    }

    private static final String HOST = "orders.test";

    private final TestConduit conduit = new TestConduit();
    /** How {@value #HOST} resolves: one answer to the check before a request, another when its connection opens. */
    private final AtomicReference<RebindingResolver> dns = new AtomicReference<>();
    private final EndpointPolicy policy = new EndpointPolicy(true, List.of(), host -> dns.get().resolve(host));
    private final RestClientTokens tokens = new RestClientTokens(conduit.admin, conduit.tokenService, conduit.links,
            () -> new RestClientTokens.Caller(null, null), policy);

    /** {@value #HOST} answers {@code atCheck} to the check before a request, {@code atConnection} to the tunnel. */
    private void rebind(InetAddress atCheck, InetAddress atConnection) {
        dns.set(new RebindingResolver(HOST, atCheck.getHostAddress(), atConnection.getHostAddress()));
    }

    @AfterEach
    void close() {
        conduit.close();
    }

    /** The orders system (per-app) with its integration base URL; its token endpoint is the test server. */
    private void registerOrders(String integrationBaseUrl) {
        conduit.configuration.put("conduit.systems.orders.grant-type", "client_credentials");
        conduit.configuration.put("conduit.systems.orders.token-endpoint", conduit.server.url("/token"));
        conduit.configuration.put("conduit.systems.orders.client-id", "orders-client");
        conduit.configuration.put("conduit.systems.orders.client-secret", "orders-secret-7d2a");
        conduit.configuration.put("conduit.systems.orders.integration-base-url", integrationBaseUrl);
        conduit.server.path("/token").setDefault(ScriptedResponse.okToken("app-token-e1", 3600));
    }

    private <T> T typedClient(Class<T> api, String baseUrl) {
        return RestClientBuilder.newBuilder().baseUri(URI.create(baseUrl))
                .register(new ConduitAuthentication(() -> tokens)).build(api);
    }

    @Test
    void typedClientWhenHttpsNameAnswersLoopbackAtConnectionThenEndpointNotAllowedAndNoConnectionThere()
            throws Exception {
        try (ConnectionCounter loopback = ConnectionCounter.on(InetAddress.getLoopbackAddress())) {
            String base = "https://" + HOST + ":" + loopback.port() + "/api";
            registerOrders(base);
            // a public address when Conduit checks the request, this machine's loopback when the connection opens
            rebind(InetAddress.getByName("192.0.2.10"), InetAddress.getLoopbackAddress());
            OrdersApi orders = typedClient(OrdersApi.class, base);

            // RESTEasy's typed client throws the filter's exception itself, not wrapped
            assertThatThrownBy(orders::get).isInstanceOfSatisfying(ConduitException.class, refusal -> {
                assertThat(refusal.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
                assertThat(refusal.getMessage()).contains("orders").contains("loopback")
                        .contains("no request was sent");
                assertThat(refusal.field()).contains("integrationBaseUrl");
            });

            assertThat(loopback.connections()).isZero();
            assertThat(policy.egress().tunnelledConnections()).isZero();
            orders.close();
        }
    }

    @Test
    void typedClientWhenHttpNameAnswersAnotherHostAtConnectionThenEndpointNotAllowedAndNoRenewalOrRequestThere()
            throws Exception {
        InetAddress ownAddress = nonLoopbackAddress().orElse(null);
        assumeThat(ownAddress).as("this machine has a non-loopback IPv4 address").isNotNull();
        try (ConnectionCounter elsewhere = ConnectionCounter.on(ownAddress)) {
            String base = "http://" + HOST + ":" + elsewhere.port() + "/api";
            registerOrders(base);
            // loopback (allowed for plain http) when Conduit checks, this machine's network address when it connects
            rebind(InetAddress.getLoopbackAddress(), ownAddress);
            // a token older than the renewal window: a 403 the resource server sent would renew it and retry
            conduit.tokenService.accessToken(conduit.allSystems.get("orders"), Subject.application());
            conduit.clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));
            RegisteringApi orders = typedClient(RegisteringApi.class, base);

            assertThatThrownBy(orders::get).isInstanceOfSatisfying(ConduitException.class, refusal -> {
                assertThat(refusal.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
                assertThat(refusal.getMessage()).contains("loopback").contains(ownAddress.getHostAddress());
            });

            assertThat(elsewhere.connections()).isZero();
            assertThat(conduit.server.requestCount("/token")).as("no renewal: the token was not rejected")
                    .isEqualTo(1);
            assertThat(policy.egress().tunnelledConnections()).isZero();
            orders.close();
        }
    }

    @Test
    void typedClientWhenHttpsThenTlsStaysEndToEndAndItsCallsShareOneTunnelledConnection(@TempDir java.nio.file.Path directory)
            throws Exception {
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(directory, HOST)) {
            // allow-listed, so https may reach it on loopback: checked as a public address, connected on loopback
            EndpointPolicy allowListed = new EndpointPolicy(false, List.of(HOST),
                    new RebindingResolver(HOST, "192.0.2.10", "127.0.0.1"));
            RestClientTokens httpsTokens = new RestClientTokens(conduit.admin, conduit.tokenService, conduit.links,
                    () -> new RestClientTokens.Caller(null, null), allowListed);
            String base = tls.uri("/api").toString();
            registerOrders(base);
            OrdersApi orders = RestClientBuilder.newBuilder().baseUri(URI.create(base)).sslContext(tls.clientTls())
                    .register(new ConduitAuthentication(() -> httpsTokens)).build(OrdersApi.class);

            String first = orders.get();
            String second = orders.get();

            // the certificate names orders.test and the client trusts it alone: TLS went from client to server
            assertThat(first).isEqualTo("hello /api/orders/42");
            assertThat(second).isEqualTo(first);
            assertThat(tls.requestCount()).isEqualTo(2);
            assertThat(tls.lastAuthorization()).contains("Bearer app-token-e1");
            // one CONNECT: the client's pool kept the tunnelled connection for the second call
            assertThat(allowListed.egress().tunnelledConnections()).isEqualTo(1);
            orders.close();
        }
    }

    @Test
    void typedClientWhenHttpsAndTheTokenIsRejectedThenTheRetryTrustsWhatTheClientTrusts(
            @TempDir java.nio.file.Path directory) throws Exception {
        try (LoopbackTlsServer tls = LoopbackTlsServer.start(directory, HOST)) {
            EndpointPolicy allowListed = new EndpointPolicy(false, List.of(HOST),
                    new RebindingResolver(HOST, "192.0.2.10", "127.0.0.1"));
            RestClientTokens httpsTokens = new RestClientTokens(conduit.admin, conduit.tokenService, conduit.links,
                    () -> new RestClientTokens.Caller(null, null), allowListed);
            registerOrders(tls.uri("/api").toString());
            conduit.server.path("/token").enqueue(ScriptedResponse.okToken("app-token-r1", 3600),
                    ScriptedResponse.okToken("app-token-r2", 3600));
            conduit.tokenService.accessToken(conduit.allSystems.get("orders"), Subject.application());
            conduit.clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));
            tls.answerNext(401);
            // the server's certificate is trusted by this client alone, not by the JVM's default trust store
            OrdersApi orders = RestClientBuilder.newBuilder().baseUri(tls.uri("/api")).sslContext(tls.clientTls())
                    .register(new ConduitAuthentication(() -> httpsTokens)).build(OrdersApi.class);

            String answer = orders.get();

            assertThat(answer).isEqualTo("hello /api/orders/42");
            assertThat(tls.requestCount()).isEqualTo(2);
            assertThat(tls.lastAuthorization()).contains("Bearer app-token-r2");
            orders.close();
        }
    }

    @Test
    void typedClientWhenTheNameStillAnswersTheCheckedAddressThenTheCallGoesThroughTheTunnelWithTheToken()
            throws Exception {
        String base = conduit.server.url("/api").replace("127.0.0.1", HOST).replace("localhost", HOST);
        registerOrders(base);
        rebind(InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress());
        conduit.server.path("/api/orders/42").enqueue(ScriptedResponse.json(200, "{\"id\": 42}"));
        OrdersApi orders = typedClient(OrdersApi.class, base);

        String answer = orders.get();

        assertThat(answer).isEqualTo("{\"id\": 42}");
        assertThat(conduit.server.requests("/api/orders/42")).singleElement()
                .satisfies(r -> assertThat(r.header("Authorization")).contains("Bearer app-token-e1"));
        assertThat(policy.egress().tunnelledConnections()).isEqualTo(1);
        orders.close();
    }

    @Test
    void typedClientWhenTheBaseUrlIsOutsideTheIntegrationBaseUrlThenEndpointNotAllowedThrownAsItIs() {
        registerOrders(conduit.server.url("/api"));
        OrdersApi orders = typedClient(OrdersApi.class, conduit.server.url("/other"));

        // refused before the request, by the request filter: thrown from the method as the tunnel's refusal is
        assertThatThrownBy(orders::get).isInstanceOfSatisfying(ConduitException.class, refusal -> {
            assertThat(refusal.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
            assertThat(refusal.field()).contains("integrationBaseUrl");
        });
        assertThat(conduit.server.requestCount()).isZero();
        assertThat(policy.egress().tunnelledConnections()).isZero();
    }

    @Test
    void typedClientWhenItRegistersAnHttpEngineOfItsOwnThenInvalidConfigurationAndNothingSent() {
        registerOrders(conduit.server.url("/api"));
        AtomicInteger invoked = new AtomicInteger();
        ClientHttpEngine ownTransport = new ClientHttpEngine() {
            @Override
            public SSLContext getSslContext() {
                return null;
            }

            @Override
            public HostnameVerifier getHostnameVerifier() {
                return null;
            }

            @Override
            public jakarta.ws.rs.core.Response invoke(Invocation request) {
                invoked.incrementAndGet();
                throw new IllegalStateException("connects without the tunnel");
            }

            @Override
            public void close() {
            }
        };
        OrdersApi orders = RestClientBuilder.newBuilder().baseUri(URI.create(conduit.server.url("/api")))
                .register(ownTransport).register(new ConduitAuthentication(() -> tokens)).build(OrdersApi.class);

        assertThatThrownBy(orders::get).isInstanceOfSatisfying(ConduitException.class, refusal -> {
            assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
            assertThat(refusal.getMessage()).contains("egress tunnel").contains("HTTP engine of their own");
        });
        assertThat(invoked.get()).isZero();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void typedClientWhenBuiltToFollowRedirectsThenTheRedirectIsNotFollowedAndNoTokenLeavesTheBaseUrl()
            throws Exception {
        registerOrders(conduit.server.url("/api"));
        rebind(InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress());
        try (HostileTokenServer elsewhere = HostileTokenServer.start()) {
            elsewhere.setDefault(ScriptedResponse.json(200, "{}"));
            conduit.server.path("/api/orders/42").enqueue(ScriptedResponse.redirect(302, elsewhere.url("/orders/42")));
            OrdersApi orders = RestClientBuilder.newBuilder().baseUri(URI.create(conduit.server.url("/api")))
                    .followRedirects(true).register(new ConduitAuthentication(() -> tokens)).build(OrdersApi.class);

            // the redirect comes back to the caller, as with the Rest Client's default of not following redirects
            assertThatThrownBy(orders::get).isInstanceOfSatisfying(RedirectionException.class,
                    e -> assertThat(e.getLocation()).hasToString(elsewhere.url("/orders/42")));

            assertThat(conduit.server.requestCount("/api/orders/42")).isEqualTo(1);
            assertThat(elsewhere.requestCount()).as("the redirect's target, outside the integration base URL").isZero();
            orders.close();
        }
    }

    @Test
    void typedClientWhenConfiguredToFollowRedirectsThenInvalidConfigurationAndNothingSent() {
        registerOrders(conduit.server.url("/api"));
        String key = RedirectedApi.class.getName() + "/mp-rest/followRedirects";
        System.setProperty(key, "true");
        try {
            RedirectedApi orders = typedClient(RedirectedApi.class, conduit.server.url("/api"));

            assertThatThrownBy(orders::get).isInstanceOfSatisfying(ConduitException.class, refusal -> {
                assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                assertThat(refusal.getMessage()).contains("mp-rest/followRedirects");
            });
        } finally {
            System.clearProperty(key);
        }
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void onNewClientWhenTheInterfaceCarriesNoConduitTokenThenTheClientIsLeftAsItIs() {
        assertThat(EgressRouting.carriesTokens(Closeable.class, RestClientBuilder.newBuilder().getConfiguration()))
                .isFalse();
        assertThat(EgressRouting.carriesTokens(OrdersApi.class, RestClientBuilder.newBuilder().getConfiguration()))
                .isTrue();
        assertThat(EgressRouting.carriesTokens(RegisteringApi.class,
                RestClientBuilder.newBuilder().getConfiguration())).isTrue();
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
