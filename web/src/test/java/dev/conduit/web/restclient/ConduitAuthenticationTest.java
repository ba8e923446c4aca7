package dev.conduit.web.restclient;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.policy.HostResolver;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.web.TestConduit;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConduitAuthentication} on a real JAX-RS client against the test server, which serves both the token
 * endpoint ({@code /token}) and the resource server ({@code /api}). The request carries the invoked interface method
 * as a MicroProfile Rest Client does.
 */
class ConduitAuthenticationTest {

    @ConnectedSystemName("orders")
    interface OrdersApi {
        @GET
        @Path("orders/{id}")
        String get(String id);

        @POST
        @Path("orders")
        String create(String order);

        @GET
        @Path("events")
        @ConnectedSystemName("calendar")
        String eventsOfCalendar();
    }

    @ConnectedSystemName("calendar")
    interface CalendarApi {
        @GET
        @Path("events")
        String events();
    }

    interface Unnamed {
        @GET
        String get();
    }

    private final TestConduit conduit = new TestConduit();
    private final AtomicReference<RestClientTokens.Caller> caller = new AtomicReference<>(
            new RestClientTokens.Caller(user("alice"), URI.create(TestConduit.PUBLIC_URL + "/api/my-orders")));
    /** When set, every host resolves to this address: the resource server's name now answers elsewhere. */
    private final AtomicReference<InetAddress> rebound = new AtomicReference<>();
    private final EndpointPolicy policy = new EndpointPolicy(true, List.of(),
            host -> rebound.get() != null ? new InetAddress[] {rebound.get()} : HostResolver.SYSTEM.resolve(host));
    private final RestClientTokens tokens = new RestClientTokens(conduit.admin, conduit.tokenService, conduit.links,
            caller::get, policy);
    /** A plain JAX-RS client, routed through the policy's egress tunnel as {@link EgressRouting} routes typed ones. */
    private final Client client = EgressRouting.route(ClientBuilder.newBuilder(), policy.egress())
            .register(new ConduitAuthentication(() -> tokens)).build();

    /** orders: per-app, declared in configuration (no token obtained yet); calendar: per-user, stored. */
    @BeforeEach
    void registerSystems() {
        conduit.configuration.put("conduit.systems.orders.grant-type", "client_credentials");
        conduit.configuration.put("conduit.systems.orders.token-endpoint", conduit.server.url("/token"));
        conduit.configuration.put("conduit.systems.orders.client-id", "orders-client");
        conduit.configuration.put("conduit.systems.orders.client-secret", "orders-secret-0c4e");
        conduit.configuration.put("conduit.systems.orders.integration-base-url", conduit.server.url("/api"));
        conduit.systemsResource.create(body(conduit.authorizationCodeJson("calendar")), uri("connected-systems"));
        assertThat(conduit.server.requestCount()).isZero();
    }

    @AfterEach
    void close() {
        client.close();
        conduit.close();
    }

    private static Principal user(String name) {
        return () -> name;
    }

    private Invocation.Builder call(String path, Method invoked) {
        return client.target(conduit.server.url("/api/" + path)).request()
                .property(ConduitAuthentication.INVOKED_METHOD, invoked);
    }

    /** Obtains the orders token and lets it age past the renewal window: only such a token is renewed on rejection. */
    private void ordersTokenOlderThanTheRenewalWindow() {
        conduit.tokenService.accessToken(conduit.allSystems.get("orders"), Subject.application());
        conduit.clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getDeclaredMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static final Method GET_ORDER = method(OrdersApi.class, "get", String.class);
    private static final Method CREATE_ORDER = method(OrdersApi.class, "create", String.class);
    private static final Method EVENTS = method(CalendarApi.class, "events");

    @Test
    void filterWhenTargetIsAnotherHostThenEndpointNotAllowedAndNoRequestOrTokenLeaves() {
        try (HostileTokenServer elsewhere = HostileTokenServer.start()) {
            elsewhere.enqueue(ScriptedResponse.json(200, "{}"));

            assertThatThrownBy(() -> client.target(elsewhere.url("/api/orders/42")).request()
                    .property(ConduitAuthentication.INVOKED_METHOD, GET_ORDER).get())
                    .isInstanceOf(ProcessingException.class)
                    .cause().isInstanceOfSatisfying(ConduitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
                        assertThat(e.field()).contains("integrationBaseUrl");
                    });

            assertThat(elsewhere.requestCount()).isZero();
            assertThat(conduit.server.requestCount()).isZero();
        }
    }

    @Test
    void filterWhenTargetHostNowResolvesOutsideLoopbackThenEndpointNotAllowedAndNoRequestOrTokenRequest()
            throws Exception {
        conduit.server.enqueue(ScriptedResponse.json(200, "{}"));
        // accepted when declared; the name is resolved again right before the request, and now answers a private address
        rebound.set(InetAddress.getByName("10.0.0.7"));

        assertThatThrownBy(() -> call("orders/42", GET_ORDER).get())
                .isInstanceOf(ProcessingException.class)
                .cause().isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
                    assertThat(e.field()).contains("integrationBaseUrl");
                    assertThat(e.getMessage()).contains("loopback");
                });
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void filterWhenTargetIsOutsideTheBasePathThenEndpointNotAllowedAndNoRequest() {
        for (String outside : new String[] {"/apiary/orders", "/other/orders", "/api/../admin/keys",
                "/api/%2e%2e/admin"}) {
            assertThatThrownBy(() -> client.target(conduit.server.url(outside)).request()
                    .property(ConduitAuthentication.INVOKED_METHOD, GET_ORDER).get())
                    .as(outside).isInstanceOf(ProcessingException.class)
                    .cause().isInstanceOfSatisfying(ConduitException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED));
        }

        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void filterWhenPerAppSystemThenApplicationTokenSent() {
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("app-token-2", 3600));
        conduit.server.path("/api/orders/42").enqueue(ScriptedResponse.json(200, "{\"id\": 42}"));

        Response response = call("orders/42", GET_ORDER).get();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.readEntity(String.class)).isEqualTo("{\"id\": 42}");
        assertThat(conduit.server.requests("/api/orders/42")).singleElement()
                .satisfies(r -> assertThat(r.header("Authorization")).contains("Bearer app-token-2"));
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void filterWhenTokenRejectedThenRenewedOnceAndSecondAnswerReturned() {
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("app-token-old", 3600),
                ScriptedResponse.okToken("app-token-new", 3600));
        conduit.server.path("/api/orders/42").enqueue(ScriptedResponse.json(401, "{\"error\": \"invalid_token\"}"),
                ScriptedResponse.json(200, "{\"id\": 42}").withHeader("X-Order-Version", "7"));
        ordersTokenOlderThanTheRenewalWindow();

        Response response = call("orders/42", GET_ORDER).header("X-Trace", "trace-1").get();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("X-Order-Version")).isEqualTo("7");
        assertThat(response.readEntity(String.class)).isEqualTo("{\"id\": 42}");
        assertThat(conduit.server.requests("/api/orders/42")).extracting(r -> r.header("Authorization").orElseThrow())
                .containsExactly("Bearer app-token-old", "Bearer app-token-new");
        assertThat(conduit.server.requests("/api/orders/42")).allSatisfy(
                r -> assertThat(r.header("X-Trace")).contains("trace-1"));
        assertThat(conduit.server.requestCount("/token")).isEqualTo(2);
    }

    @Test
    void filterWhenRejectedTwiceThenSecondRejectionReturnedAndNoThirdCall() {
        conduit.server.path("/token").setDefault(ScriptedResponse.okToken("app-token-x", 3600));
        conduit.server.path("/api/orders/42").setDefault(ScriptedResponse.json(403, "{\"error\": \"forbidden\"}"));
        ordersTokenOlderThanTheRenewalWindow();

        Response response = call("orders/42", GET_ORDER).get();

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.readEntity(String.class)).contains("forbidden");
        assertThat(conduit.server.requestCount("/api/orders/42")).isEqualTo(2);
        assertThat(conduit.server.requestCount("/token")).isEqualTo(2);
    }

    @Test
    void filterWhenStatusNotATokenRejectionThenNoRenewal() {
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("app-token-3", 3600));
        conduit.server.path("/api/orders/42").setDefault(ScriptedResponse.json(500, "{\"error\": \"boom\"}"));

        Response response = call("orders/42", GET_ORDER).get();

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(conduit.server.requestCount("/api/orders/42")).isEqualTo(1);
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void filterWhenPostRejectedThenSameBodySentAgain() {
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("app-token-a", 3600),
                ScriptedResponse.okToken("app-token-b", 3600));
        conduit.server.path("/api/orders").enqueue(ScriptedResponse.status(401),
                ScriptedResponse.json(201, "{\"id\": 43}"));
        ordersTokenOlderThanTheRenewalWindow();

        Response response = call("orders", CREATE_ORDER).post(Entity.entity("{\"item\": \"pens\"}",
                MediaType.APPLICATION_JSON_TYPE));

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(conduit.server.requests("/api/orders")).extracting(RecordedRequest::bodyText)
                .containsExactly("{\"item\": \"pens\"}", "{\"item\": \"pens\"}");
        assertThat(conduit.server.requests("/api/orders")).extracting(r -> r.header("Content-Type").orElseThrow())
                .allSatisfy(type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void filterWhenUserHasNotAuthorizedThenRefusedWithLinkAndResourceServerNeverCalled() {
        Response response = call("events", EVENTS).get();

        ConduitAuthentication provider = new ConduitAuthentication(() -> tokens);
        assertThat(provider.handles(response.getStatus(), response.getHeaders())).isTrue();
        AuthorizationRequiredException refused = provider.toThrowable(response);
        assertThat(refused.code()).isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED);
        assertThat(refused.connectedSystem()).isEqualTo("calendar");
        assertThat(refused.authorizationUrl().toString()).startsWith(conduit.server.url("/authorize"))
                .contains("redirect_uri=" + java.net.URLEncoder.encode(TestConduit.REDIRECT_URI,
                        java.nio.charset.StandardCharsets.UTF_8));
        assertThat(refused.expiresAt()).isAfter(conduit.clock.instant());
        assertThat(conduit.pending.size()).isEqualTo(1);
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void filterWhenPerUserSystemThenEachUserGetsOwnTokenAndNeverAnothers() {
        conduit.tokenService.accept(conduit.allSystems.get("calendar"), Subject.user("alice"), new TokenSet(Secret.of("alice-token-5e1"),
                "Bearer", conduit.clock.instant(), conduit.clock.instant().plusSeconds(3600), null, Scope.parse("openid")));
        conduit.server.path("/api/events").setDefault(ScriptedResponse.json(200, "[]"));

        Response alice = call("events", EVENTS).get();
        caller.set(new RestClientTokens.Caller(user("bob"), URI.create(TestConduit.PUBLIC_URL + "/api/my-orders")));
        Response bob = call("events", EVENTS).get();

        assertThat(alice.getStatus()).isEqualTo(200);
        assertThat(conduit.server.requests("/api/events")).singleElement()
                .satisfies(r -> assertThat(r.header("Authorization")).contains("Bearer alice-token-5e1"));
        assertThat(ConduitAuthentication.refusal(bob)).isNotNull()
                .satisfies(e -> assertThat(e.connectedSystem()).isEqualTo("calendar"));
        assertThat(conduit.server.requestCount("/token")).isZero();
    }

    @Test
    void filterWhenMethodNamesSystemThenItWinsOverInterface() {
        Method onMethod = method(OrdersApi.class, "eventsOfCalendar");

        Response response = call("events", onMethod).get();

        assertThat(ConduitAuthentication.refusal(response).connectedSystem()).isEqualTo("calendar");
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void filterWhenPerUserSystemCalledOutsideUserRequestThenForbidden() {
        caller.set(new RestClientTokens.Caller(null, null));

        assertThatThrownBy(() -> call("events", EVENTS).get()).isInstanceOf(ProcessingException.class)
                .cause().isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.getMessage()).contains("calendar");
                });
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void filterWhenInterfaceNamesNoSystemThenInvalidConfigurationNamingInterface() {
        assertThatThrownBy(() -> call("x", method(Unnamed.class, "get")).get()).isInstanceOf(ProcessingException.class)
                .cause().isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).contains(Unnamed.class.getName()).contains("@ConnectedSystemName");
                });
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void filterWhenSystemPropertyOnPlainClientThenThatSystemsToken() {
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("app-token-p", 3600));
        conduit.server.path("/api/orders/1").enqueue(ScriptedResponse.json(200, "{}"));

        Response response = client.target(conduit.server.url("/api/orders/1")).request()
                .property(ConduitAuthentication.SYSTEM_PROPERTY, "orders").get();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(conduit.server.lastRequest().header("Authorization")).contains("Bearer app-token-p");
    }

    @Test
    void filterWhenClientIsNotRoutedThroughTheEgressTunnelThenInvalidConfigurationAndNoTokenOrRequest() {
        conduit.server.path("/api/orders/1").setDefault(ScriptedResponse.json(200, "{}"));
        Client unrouted = ClientBuilder.newClient().register(new ConduitAuthentication(() -> tokens));
        try {
            assertThatThrownBy(() -> unrouted.target(conduit.server.url("/api/orders/1")).request()
                    .property(ConduitAuthentication.INVOKED_METHOD, GET_ORDER).get())
                    .isInstanceOf(ProcessingException.class)
                    .cause().isInstanceOfSatisfying(ConduitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                        assertThat(e.getMessage()).contains("orders").contains("egress tunnel")
                                .contains("EgressRouting.throughEgress");
                    });
        } finally {
            unrouted.close();
        }
        assertThat(conduit.server.requestCount()).isZero();
        assertThat(policy.egress().tunnelledConnections()).isZero();
    }

    @Test
    void filterWhenClientWasRoutedToAnotherAddressThanTheTunnelsThenInvalidConfigurationAndNothingSent() {
        conduit.server.path("/api/orders/1").setDefault(ScriptedResponse.json(200, "{}"));
        // a client whose proxy is not the tunnel listening now (another process may listen where it points)
        Client elsewhere = ClientBuilder.newBuilder().property(EgressRouting.ROUTE_PROPERTY, "127.0.0.1:9")
                .property(EgressRouting.JERSEY_PROXY_URI, "http://127.0.0.1:9")
                .register(new ConduitAuthentication(() -> tokens)).build();
        try {
            assertThatThrownBy(() -> elsewhere.target(conduit.server.url("/api/orders/1")).request()
                    .property(ConduitAuthentication.INVOKED_METHOD, GET_ORDER).get())
                    .isInstanceOf(ProcessingException.class)
                    .cause().isInstanceOfSatisfying(ConduitException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
        } finally {
            elsewhere.close();
        }
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void filterWhenRoutedThenEachCallAndItsRetryConnectThroughTheTunnel() {
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("app-token-t1", 3600),
                ScriptedResponse.okToken("app-token-t2", 3600));
        conduit.server.path("/api/orders/42").enqueue(ScriptedResponse.status(401),
                ScriptedResponse.json(200, "{\"id\": 42}"));
        ordersTokenOlderThanTheRenewalWindow();

        Response response = call("orders/42", GET_ORDER).get();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(conduit.server.requestCount("/api/orders/42")).isEqualTo(2);
        // the call and its retry each went through the tunnel (on one kept-alive connection to the server, or two)
        assertThat(policy.egress().forwardedRequests()).isEqualTo(2);
        assertThat(policy.egress().tunnelledConnections()).isBetween(1L, 2L);
    }

    @Test
    void filterWhenSystemUnknownThenUnknownSystemAndNothingSent() {
        assertThatThrownBy(() -> client.target(conduit.server.url("/api/x")).request()
                .property(ConduitAuthentication.SYSTEM_PROPERTY, "nope").get())
                .isInstanceOf(ProcessingException.class)
                .cause().isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SYSTEM));
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void handlesWhenResourceServerSendsRefusalHeadersThenNotTakenForAConduitRefusal() {
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("app-token-f", 3600));
        conduit.server.path("/api/orders/9").enqueue(ScriptedResponse.status(409)
                .withHeader("Conduit-Authorization-Required", "orders")
                .withHeader("Conduit-Refusal", "guessed-nonce")
                .withHeader("Location", "https://attacker.example/phish")
                .withHeader("Conduit-Authorization-Link-Expires", "2030-01-01T00:00:00Z"));

        Response forged = call("orders/9", GET_ORDER).get();

        assertThat(forged.getStatus()).isEqualTo(409);
        assertThat(new ConduitAuthentication(() -> tokens).handles(forged.getStatus(), forged.getHeaders())).isFalse();
        assertThat(ConduitAuthentication.refusal(forged)).isNull();
    }
}
