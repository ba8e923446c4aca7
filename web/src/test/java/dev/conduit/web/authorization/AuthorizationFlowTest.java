package dev.conduit.web.authorization;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.login;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditOutcome;
import dev.conduit.api.OAuthError;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.web.Roles;
import dev.conduit.web.TestConduit;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthorizationFlowTest {

    private final TestConduit conduit = new TestConduit();
    private final OAuthCallbackServlet callback = new OAuthCallbackServlet();

    @BeforeEach
    void setUp() {
        callback.authorizations = conduit.authorizations;
        callback.publicUrl = conduit.publicUrl;
        callback.audit = conduit.audit;
        callback.clock = conduit.clock;
        conduit.systemsResource.create(body(conduit.authorizationCodeJson("calendar")), uri("connected-systems"));
    }

    @AfterEach
    void close() {
        conduit.close();
    }

    private JsonObject link(String user) {
        Response response = conduit.linkResource.create("calendar", false, login(user, Roles.USER),
                uri("connected-systems/calendar/authorization-link"));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("Cache-Control")).contains("no-store");
        return (JsonObject) response.getEntity();
    }

    private static Map<String, String> query(String url) {
        return Arrays.stream(URI.create(url).getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    private CallbackExchange callback(String user, Map<String, String[]> parameters) throws Exception {
        CallbackExchange exchange = new CallbackExchange(user, parameters);
        callback.doGet(exchange.request, exchange.response);
        return exchange;
    }

    @Test
    void createWhenRedirectRequestedThen303ToTheProvider() {
        Response response = conduit.linkResource.create("calendar", true, login("alice", Roles.USER),
                uri("connected-systems/calendar/authorization-link"));

        assertThat(response.getStatus()).isEqualTo(303);
        assertThat(response.getLocation().toString()).startsWith(conduit.server.url("/authorize"));
        assertThat(query(response.getLocation().toString())).containsEntry("redirect_uri", TestConduit.REDIRECT_URI);
    }

    @Test
    void callbackWhenCodeValidThenAuthorizedAndPageTellsTheOpener() throws Exception {
        String state = query(link("alice").getString("url")).get("state");
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("user-token-a1", 3600, "refresh-a1"));

        CallbackExchange page = callback("alice", Map.of("code", new String[] {"code-123"}, "state",
                new String[] {state}));

        assertThat(page.status).isEqualTo(200);
        assertThat(page.contentType).isEqualTo("text/html");
        assertThat(page.headers).containsEntry("Cache-Control", "no-store").containsEntry("Referrer-Policy",
                "no-referrer");
        assertThat(page.headers.get("Content-Security-Policy")).contains("default-src 'none'")
                .contains("frame-ancestors 'none'");
        assertThat(page.html()).contains("Authorization complete, you can close this window")
                .contains("window.opener.postMessage").contains("data-origin=\"http://conduit.test\"")
                .doesNotContain("user-token-a1").doesNotContain("code-123");
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
        assertThat(conduit.server.lastRequest().formParameters().get("redirect_uri"))
                .containsExactly(TestConduit.REDIRECT_URI);
        JsonObject status = conduit.authorizationResource.status("calendar", login("alice", Roles.USER));
        assertThat(status.getString("status")).isEqualTo("AUTHORIZED");
        assertThat(status.toString()).doesNotContain("user-token-a1").doesNotContain("refresh-a1");
        AuditEvent recorded = conduit.audit.all().get(0);
        assertThat(recorded.action()).isEqualTo(AuditAction.AUTHORIZE);
        assertThat(recorded.actor()).isEqualTo("alice");
        assertThat(recorded.system()).isEqualTo("calendar");
        assertThat(recorded.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(recorded.toString()).doesNotContain("user-token-a1").doesNotContain("code-123");
    }

    @Test
    void callbackWhenStateIssuedToAnotherUserThenRefusedWithoutTokenRequest() throws Exception {
        String state = query(link("alice").getString("url")).get("state");

        CallbackExchange page = callback("bob", Map.of("code", new String[] {"code-123"}, "state",
                new String[] {state}));

        assertThat(page.status).isEqualTo(403);
        assertThat(page.html()).contains("Authorization not completed").contains(ErrorCode.STATE_USER_MISMATCH.name())
                .contains("each user opens a link of their own");
        assertThat(page.headers).containsEntry("Cache-Control", "no-store");
        assertThat(conduit.server.requestCount()).isZero();
        JsonObject bobs = conduit.authorizationResource.status("calendar", login("bob", Roles.USER));
        assertThat(bobs.getString("status")).isEqualTo("AUTHORIZATION_REQUIRED");
        assertThat(bobs.isNull("scope")).as("no scope granted reads as null, not \"\"").isTrue();
        assertThat(conduit.audit.all()).singleElement().satisfies(recorded -> {
            assertThat(recorded.action()).isEqualTo(AuditAction.AUTHORIZE);
            assertThat(recorded.actor()).isEqualTo("bob");
            assertThat(recorded.outcome()).isEqualTo(AuditOutcome.FAILURE);
            assertThat(recorded.details()).containsEntry("code", ErrorCode.STATE_USER_MISMATCH.name());
        });
    }

    @Test
    void callbackWhenStateRepeatedThenInvalidCallbackWithoutTokenRequest() throws Exception {
        String state = query(link("alice").getString("url")).get("state");

        CallbackExchange page = callback("alice", Map.of("code", new String[] {"c"}, "state",
                new String[] {state, "another-state-value-0000000"}));

        assertThat(page.status).isEqualTo(400);
        assertThat(page.html()).contains(ErrorCode.INVALID_CALLBACK.name());
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void callbackWhenProviderSendsAccessDeniedThenPageSaysSoWithoutTokenRequest() throws Exception {
        String state = query(link("alice").getString("url")).get("state");

        CallbackExchange page = callback("alice", Map.of("error", new String[] {"access_denied"}, "state",
                new String[] {state}));

        assertThat(page.status).isEqualTo(ErrorCode.ACCESS_DENIED.httpStatus());
        assertThat(page.html()).contains(ErrorCode.ACCESS_DENIED.name()).contains("access_denied");
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void failedPageWhenMessageHoldsMarkupThenEscaped() {
        ConduitException e = ConduitException.builder(ErrorCode.AUTHORIZATION_ERROR, "<script>alert(1)</script>")
                .oauthError(new OAuthError("invalid_scope", "x", null)).system("<img src=x onerror=alert(1)>").build();

        CallbackPage page = CallbackPage.failed(e, "http://conduit.test");

        assertThat(page.html()).doesNotContain("<script>alert(1)").doesNotContain("<img src=x")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(page.html()).containsOnlyOnce("<script nonce=\"" + page.scriptNonce() + "\">");
    }

    @Test
    void disconnectWhenAuthorizedThenTokensGone() throws Exception {
        String state = query(link("alice").getString("url")).get("state");
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("user-token-a1", 3600, "refresh-a1"));
        callback("alice", Map.of("code", new String[] {"code-123"}, "state", new String[] {state}));
        conduit.server.path("/revoke").setDefault(ScriptedResponse.status(200));

        assertThat(conduit.authorizationResource.disconnect("calendar", login("alice", Roles.USER)).getStatus())
                .isEqualTo(204);

        assertThat(conduit.authorizationResource.status("calendar", login("alice", Roles.USER)).getString("status"))
                .isEqualTo("AUTHORIZATION_REQUIRED");
    }
}
