package dev.conduit.web.invoke;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.login;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.web.Roles;
import dev.conduit.web.TestConduit;
import dev.conduit.web.problem.ProblemException;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InvokeResourceTest {

    private final TestConduit conduit = new TestConduit();

    @AfterEach
    void close() {
        conduit.close();
    }

    @Test
    void invokeWhenPerAppSystemThenTokenInjectedAndAnswerReturned() {
        conduit.server.path("/token").setDefault(ScriptedResponse.okToken("app-token-51a7", 3600));
        conduit.server.path("/api/orders/42").setDefault(ScriptedResponse.json(200, "{\"id\": 42}"));
        conduit.systemsResource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));

        JsonObject answer = conduit.invokeResource.invoke("crm",
                body("{\"method\": \"GET\", \"path\": \"orders/42\", \"query\": {\"expand\": [\"lines\", \"notes\"]}}"),
                login("alice", Roles.USER), uri("connected-systems/crm/invoke"));

        assertThat(answer.getInt("status")).isEqualTo(200);
        assertThat(answer.getString("body")).isEqualTo("{\"id\": 42}");
        assertThat(answer.getBoolean("tokenRenewed")).isFalse();
        assertThat(conduit.server.lastRequest().header("Authorization")).contains("Bearer app-token-51a7");
        assertThat(conduit.server.lastRequest().query()).isEqualTo("expand=lines&expand=notes");
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void invokeWhenUserHasNotAuthorizedThenAuthorizationRequiredWithFreshLinkForThatUser() {
        conduit.systemsResource.create(body(conduit.authorizationCodeJson("calendar")), uri("connected-systems"));

        assertThatThrownBy(() -> conduit.invokeResource.invoke("calendar", body("{\"path\": \"events\"}"),
                login("alice", Roles.USER), uri("connected-systems/calendar/invoke")))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().code()).isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED);
                    assertThat(e.problem().status()).isEqualTo(403);
                    JsonObject link = e.problem().extensions().get("authorizationLink").asJsonObject();
                    assertThat(link.getString("url")).startsWith(conduit.server.url("/authorize"));
                    assertThat(link.getString("expiresAt")).isNotBlank();
                });
        assertThat(conduit.pending.size()).isEqualTo(1);
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void invokeWhenAuthorizationHeaderSuppliedThenRefusedNamingHeaders() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        conduit.systemsResource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));
        int before = conduit.server.requestCount();

        assertThatThrownBy(() -> conduit.invokeResource.invoke("crm",
                body("{\"path\": \"x\", \"headers\": {\"Authorization\": \"Bearer stolen\"}}"),
                login("alice", Roles.USER), uri("connected-systems/crm/invoke")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("headers");
                });
        assertThat(conduit.server.requestCount()).isEqualTo(before);
    }

    @Test
    void invokeWhenSystemUnknownThenUnknownSystem() {
        assertThatThrownBy(() -> conduit.invokeResource.invoke("nope", body("{}"), login("alice", Roles.USER),
                uri("connected-systems/nope/invoke"))).isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SYSTEM));
    }
}
