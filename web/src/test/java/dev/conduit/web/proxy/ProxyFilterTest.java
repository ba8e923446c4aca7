package dev.conduit.web.proxy;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.integration.ProxyHeaders;
import dev.conduit.core.integration.ProxySettings;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.TestConduit;
import dev.conduit.web.proxy.LoopbackResourceServer.Answer;
import dev.conduit.web.proxy.LoopbackResourceServer.Arrived;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyFilterTest {

    private static final String CRM = "/api/connected-systems/crm/proxy/";

    private final TestConduit conduit = new TestConduit();
    private final LoopbackResourceServer resource = new LoopbackResourceServer();
    private final AtomicInteger passedOn = new AtomicInteger();
    private ProxyFilter filter = filter(ProxySettings.DEFAULT);

    @BeforeEach
    void registerSystem() {
        conduit.server.path("/token").handle(r -> ScriptedResponse.okToken(
                "app-token-" + conduit.server.requestCount("/token"), 3600));
        conduit.systemsResource.create(body(systemJson("crm", "client_credentials")), uri("connected-systems"));
    }

    @AfterEach
    void close() {
        resource.close();
        conduit.close();
    }

    @Test
    void doFilterWhenGetWithQueryThenPathQueryAndTokenForwardedAndAnswerReturnedByteForByte() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        resource.enqueue(Answer.of(203, binary, "Content-Type", "application/vnd.orders+json; charset=utf-8",
                "X-Multi", "first", "X-Multi", "second, with comma", "ETag", "\"v7\"", "Cache-Control", "no-cache"));

        ServletExchange exchange = run(ServletExchange.of("GET", CRM + "orders/a%20b;v=1/lines",
                "expand=lines&expand=notes&q=%C3%A9+x&empty=", "Accept", "application/json"));

        Arrived arrived = resource.last();
        assertThat(arrived.method()).isEqualTo("GET");
        assertThat(arrived.rawPath()).isEqualTo("/api/orders/a%20b;v=1/lines");
        assertThat(arrived.rawQuery()).isEqualTo("expand=lines&expand=notes&q=%C3%A9+x&empty=");
        assertThat(arrived.header("Authorization")).containsExactly("Bearer app-token-1");
        assertThat(arrived.header("Accept")).containsExactly("application/json");
        assertThat(exchange.status).isEqualTo(203);
        assertThat(exchange.body()).isEqualTo(binary);
        assertThat(exchange.header("X-Multi")).containsExactly("first", "second, with comma");
        assertThat(exchange.header("ETag")).containsExactly("\"v7\"");
        assertThat(exchange.header("Content-Type")).containsExactly("application/vnd.orders+json; charset=utf-8");
        assertThat(exchange.header("Cache-Control")).containsExactly("no-cache");
        assertThat(exchange.header("Content-Length")).containsExactly("256");
        assertThat(resource.arrived()).hasSize(1);
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void doFilterWhenMethodWithBinaryBodyThenMethodAndBodyForwardedAndStatusReturned(String method) throws Exception {
        byte[] sent = randomBytes(10_000);
        byte[] answer = randomBytes(3_000);
        resource.enqueue(Answer.of(method.equals("DELETE") ? 202 : 201, answer, "Content-Type", "image/png",
                "Location", "/api/orders/43"));

        ServletExchange exchange = run(ServletExchange.withBody(method, CRM + "orders", sent,
                "Content-Type", "application/octet-stream"));

        Arrived arrived = resource.last();
        assertThat(arrived.method()).isEqualTo(method);
        assertThat(arrived.body()).isEqualTo(sent);
        assertThat(arrived.header("Content-Length")).containsExactly("10000");
        assertThat(arrived.header("Content-Type")).containsExactly("application/octet-stream");
        assertThat(exchange.status).isEqualTo(method.equals("DELETE") ? 202 : 201);
        assertThat(exchange.body()).isEqualTo(answer);
        assertThat(exchange.header("Location")).containsExactly("/api/orders/43");
        assertThat(resource.arrived()).hasSize(1);
    }

    @Test
    void doFilterWhenAnyOtherMethodThenForwardedAsIs() throws Exception {
        resource.enqueue(Answer.of(207, "<multistatus/>".getBytes(StandardCharsets.UTF_8), "Content-Type",
                "application/xml"));

        ServletExchange exchange = run(ServletExchange.of("PROPFIND", CRM + "files/", null, "Depth", "1"));

        assertThat(resource.last().method()).isEqualTo("PROPFIND");
        assertThat(resource.last().rawPath()).isEqualTo("/api/files/");
        assertThat(exchange.status).isEqualTo(207);
        assertThat(exchange.text()).isEqualTo("<multistatus/>");
    }

    @Test
    void doFilterWhenBodyLargerThanReplayLimitThenStreamedWithItsLength() throws Exception {
        byte[] sent = randomBytes(300 * 1024);

        ServletExchange exchange = run(ServletExchange.withBody("POST", CRM + "upload", sent,
                "Content-Type", "application/octet-stream"));

        assertThat(resource.last().body()).isEqualTo(sent);
        assertThat(resource.last().header("Content-Length")).containsExactly(Integer.toString(sent.length));
        assertThat(exchange.status).isEqualTo(200);
        assertThat(exchange.body()).isEqualTo(sent);
    }

    @Test
    void doFilterWhenBodyChunkedThenForwardedWhole() throws Exception {
        byte[] sent = randomBytes(200 * 1024);
        ServletExchange chunked = new ServletExchange("PUT", CRM + "blob", null, ServletExchange.pairs(
                "Transfer-Encoding", "chunked", "Content-Type", "application/octet-stream"),
                new ByteArrayInputStream(sent), -1, "alice");

        run(chunked);

        assertThat(resource.last().body()).isEqualTo(sent);
        assertThat(resource.last().header("Transfer-Encoding")).containsExactly("chunked");
        assertThat(chunked.status).isEqualTo(200);
    }

    @Test
    void doFilterWhenCallerSendsCredentialsAndHopByHopHeadersThenOnlyTheAllowListIsForwarded() throws Exception {
        filter = filter(new ProxySettings(new ProxyHeaders(List.of("X-Tenant", "X-Dropped-By-Connection")), 1024));

        run(ServletExchange.of("GET", CRM + "orders", null,
                "Authorization", "Basic YWxpY2U6YWxpY2UtcGFzcw==", "Cookie", "CONDUIT_SESSION=s3cr3t",
                "Host", "evil.example", "Proxy-Authorization", "Basic eA==", "Connection", "keep-alive, X-Dropped-By-Connection",
                "Keep-Alive", "timeout=5", "TE", "trailers", "Upgrade", "h2c", "X-Not-Listed", "1",
                "X-Forwarded-For", "203.0.113.9", "X-Tenant", "acme", "X-Dropped-By-Connection", "1",
                "Accept", "application/json", "If-None-Match", "\"v1\"", "X-Request-Id", "req-1",
                "Accept-Encoding", "gzip", "Range", "bytes=0-99"));

        Arrived arrived = resource.last();
        assertThat(arrived.header("Authorization")).containsExactly("Bearer app-token-1");
        assertThat(arrived.header("Host")).containsExactly("127.0.0.1:" + resource.url("").split(":")[2]);
        for (String absent : List.of("Cookie", "Proxy-Authorization", "Keep-Alive", "TE", "Upgrade",
                "X-Not-Listed", "X-Forwarded-For", "X-Dropped-By-Connection")) {
            assertThat(arrived.header(absent)).as(absent).isEmpty();
        }
        assertThat(arrived.header("Connection")).doesNotContain("keep-alive, X-Dropped-By-Connection");
        assertThat(arrived.header("X-Tenant")).containsExactly("acme");
        assertThat(arrived.header("If-None-Match")).containsExactly("\"v1\"");
        assertThat(arrived.header("X-Request-Id")).containsExactly("req-1");
        assertThat(arrived.header("Accept-Encoding")).containsExactly("gzip");
        assertThat(arrived.header("Range")).containsExactly("bytes=0-99");
    }

    @Test
    void doFilterWhenResourceServerSetsCookiesAndHopByHopHeadersThenTheyAreNotReturned() throws Exception {
        resource.enqueue(Answer.of(200, "ok".getBytes(StandardCharsets.UTF_8), "Set-Cookie", "CONDUIT_SESSION=evil",
                "Connection", "X-Hop", "X-Hop", "1", "Proxy-Authenticate", "Basic", "Content-Type", "text/plain",
                "WWW-Authenticate", "Bearer realm=\"crm\""));

        ServletExchange exchange = run(ServletExchange.of("GET", CRM + "x", null));

        assertThat(exchange.header("Set-Cookie")).isEmpty();
        assertThat(exchange.header("X-Hop")).isEmpty();
        assertThat(exchange.header("Connection")).isEmpty();
        assertThat(exchange.header("Proxy-Authenticate")).isEmpty();
        assertThat(exchange.header("Content-Type")).containsExactly("text/plain");
        assertThat(exchange.header("WWW-Authenticate")).containsExactly("Bearer realm=\"crm\"");
        assertThat(exchange.text()).isEqualTo("ok");
    }

    @Test
    void proxyHeadersWhenAdministratorAddsCredentialHeaderThenInvalidConfiguration() {
        for (String name : List.of("Authorization", "cookie", "Host", "Transfer-Encoding", "Connection", "bad name")) {
            assertThatThrownBy(() -> new ProxyHeaders(List.of(name))).as(name)
                    .isInstanceOfSatisfying(ConduitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                        assertThat(e.field()).contains("conduit.proxy.forward-headers");
                    });
        }
    }

    @Test
    void doFilterWhenTokenRejectedAndNoBodyThenRenewedAndRetriedOnce() throws Exception {
        run(ServletExchange.of("GET", CRM + "warm-up", null));
        conduit.clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));
        resource.enqueue(Answer.of(401, "expired".getBytes(StandardCharsets.UTF_8), "WWW-Authenticate", "Bearer"),
                Answer.of(200, "fresh".getBytes(StandardCharsets.UTF_8)));

        ServletExchange exchange = run(ServletExchange.of("GET", CRM + "orders", null));

        assertThat(exchange.status).isEqualTo(200);
        assertThat(exchange.text()).isEqualTo("fresh");
        assertThat(resource.arrived()).hasSize(3);
        assertThat(resource.arrived().get(1).header("Authorization")).containsExactly("Bearer app-token-1");
        assertThat(resource.arrived().get(2).header("Authorization")).containsExactly("Bearer app-token-2");
        assertThat(conduit.server.requestCount("/token")).isEqualTo(2);
    }

    @Test
    void doFilterWhenTokenRejectedAndBodyWithinReplayLimitThenSameBodySentAgain() throws Exception {
        run(ServletExchange.of("GET", CRM + "warm-up", null));
        conduit.clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));
        byte[] sent = randomBytes(ProxySettings.DEFAULT.replayMaxBytes());
        resource.enqueue(Answer.of(403, new byte[0]), Answer.of(201, new byte[0]));

        ServletExchange exchange = run(ServletExchange.withBody("POST", CRM + "orders", sent,
                "Content-Type", "application/octet-stream"));

        assertThat(exchange.status).isEqualTo(201);
        assertThat(resource.arrived()).hasSize(3);
        assertThat(resource.arrived().get(1).body()).isEqualTo(sent);
        assertThat(resource.arrived().get(2).body()).isEqualTo(sent);
        assertThat(resource.arrived().get(2).header("Authorization")).containsExactly("Bearer app-token-2");
        assertThat(conduit.server.requestCount("/token")).isEqualTo(2);
    }

    @Test
    void doFilterWhenTokenRejectedAndBodyStreamedBeyondReplayLimitThenRejectionReturnedAsItIs() throws Exception {
        filter = filter(new ProxySettings(ProxyHeaders.DEFAULT, 16));
        run(ServletExchange.of("GET", CRM + "warm-up", null));
        conduit.clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));
        byte[] sent = randomBytes(17);
        resource.enqueue(Answer.of(401, "{\"error\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "WWW-Authenticate", "Bearer error=\"invalid_token\""));
        ServletExchange chunked = new ServletExchange("POST", CRM + "orders", null, ServletExchange.pairs(
                "Transfer-Encoding", "chunked"), new ByteArrayInputStream(sent), -1, "alice");

        run(chunked);

        assertThat(chunked.status).isEqualTo(401);
        assertThat(chunked.text()).isEqualTo("{\"error\":\"invalid_token\"}");
        assertThat(chunked.header("WWW-Authenticate")).containsExactly("Bearer error=\"invalid_token\"");
        assertThat(resource.arrived()).hasSize(2);
        assertThat(resource.last().body()).isEqualTo(sent);
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../admin", "orders/../../admin", "%2e%2e/admin", "orders/.%2E/x", "./orders", "orders/.",
            "/evil.example/steal", "orders//x", "a%2Fb", "a%2fb", "a%5Cb", "a\\b", "a b", "a%zz", "orders/%2E"})
    void doFilterWhenPathEscapesTheBaseUrlThenPathOutsideBaseUrlAndNothingSent(String path) throws Exception {
        int tokenRequests = conduit.server.requestCount("/token");

        ServletExchange exchange = run(ServletExchange.of("GET", CRM + path, null));

        assertThat(exchange.status).isEqualTo(400);
        assertThat(exchange.problem().getString("code")).isEqualTo("PATH_OUTSIDE_BASE_URL");
        assertThat(exchange.problem().getString("field")).isEqualTo("path");
        assertThat(exchange.problem().getString("hint")).contains("%2F");
        assertThat(resource.arrived()).isEmpty();
        assertThat(conduit.server.requestCount("/token")).isEqualTo(tokenRequests);
    }

    @Test
    void doFilterWhenUserHasNotAuthorizedThenAuthorizationRequiredWithLinkAndNothingSent() throws Exception {
        conduit.systemsResource.create(body(systemJson("calendar", "authorization_code")), uri("connected-systems"));

        ServletExchange exchange = run(ServletExchange.of("GET", "/api/connected-systems/calendar/proxy/events", null));

        assertThat(exchange.status).isEqualTo(403);
        assertThat(exchange.problem().getString("code")).isEqualTo("AUTHORIZATION_REQUIRED");
        assertThat(exchange.problem().getJsonObject("authorizationLink").getString("url"))
                .startsWith(conduit.server.url("/authorize"));
        assertThat(exchange.header("Cache-Control")).containsExactly("no-store");
        assertThat(resource.arrived()).isEmpty();
        assertThat(conduit.pending.size()).isEqualTo(1);
    }

    @Test
    void doFilterWhenSystemUnknownThenUnknownSystem() throws Exception {
        ServletExchange exchange = run(ServletExchange.of("GET", "/api/connected-systems/nope/proxy/x", null));

        assertThat(exchange.status).isEqualTo(404);
        assertThat(exchange.problem().getString("code")).isEqualTo("UNKNOWN_SYSTEM");
        assertThat(resource.arrived()).isEmpty();
    }

    @Test
    void doFilterWhenResourceServerUnreachableThenIntegrationCallFailed() throws Exception {
        resource.close();

        ServletExchange exchange = run(ServletExchange.of("GET", CRM + "x", null));

        assertThat(exchange.status).isEqualTo(502);
        assertThat(exchange.problem().getString("code")).isEqualTo("INTEGRATION_CALL_FAILED");
    }

    @Test
    void doFilterWhenNotAProxyPathThenPassedOnToTheApi() throws Exception {
        for (String path : List.of("/api/connected-systems/crm/invoke", "/api/connected-systems/crm/proxying/x",
                "/api/connected-systems/crm", "/api/connected-systems/", "/api/connected-systems/proxy")) {
            run(ServletExchange.of("POST", path, null));
        }

        assertThat(passedOn.get()).isEqualTo(5);
        assertThat(resource.arrived()).isEmpty();
    }

    @Test
    void doFilterWhenBaseUrlItselfThenForwardedToIt() throws Exception {
        run(ServletExchange.of("GET", "/api/connected-systems/crm/proxy", null));
        run(ServletExchange.of("GET", "/api/connected-systems/crm/proxy/", "a=1"));

        assertThat(resource.arrived()).extracting(Arrived::rawPath).containsExactly("/api/", "/api/");
        assertThat(resource.last().rawQuery()).isEqualTo("a=1");
    }

    private ServletExchange run(ServletExchange exchange) throws Exception {
        filter.doFilter(exchange.request, exchange.response, (request, response) -> passedOn.incrementAndGet());
        return exchange;
    }

    private ProxyFilter filter(ProxySettings settings) {
        return new ProxyFilter(conduit.admin, conduit.integration, conduit.links, settings);
    }

    private String systemJson(String name, String grantType) {
        return """
                {"name": "%s", "grantType": "%s", "tokenEndpoint": "%s", "authorizationEndpoint": "%s",
                 "integrationBaseUrl": "%s", "clientId": "%s", "clientSecret": "%s", "scope": "read"}
                """.formatted(name, grantType, conduit.server.url("/token"), conduit.server.url("/authorize"),
                resource.url("/api"), TestSystems.CLIENT_ID, TestSystems.CLIENT_SECRET);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
