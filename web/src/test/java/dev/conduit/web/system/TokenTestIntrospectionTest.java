package dev.conduit.web.system;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.system.SystemStatus;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.web.TestConduit;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A system's introspection endpoint (RFC 7662) checks the token its test obtained. */
class TokenTestIntrospectionTest {

    private final TestConduit conduit = new TestConduit();
    private final ConnectedSystemsResource resource = conduit.systemsResource;

    @AfterEach
    void close() {
        conduit.close();
    }

    private JsonObject createWithIntrospection(String name) {
        String json = conduit.clientCredentialsJson(name).replaceFirst("\\{",
                "{\"introspectionEndpoint\": \"" + conduit.server.url("/introspect") + "\",");
        return (JsonObject) resource.create(body(json), uri("connected-systems")).getEntity();
    }

    @Test
    void createWhenIntrospectionSaysActiveThenTokenTestReportsActive() {
        conduit.server.path("/token").setDefault(ScriptedResponse.okToken("token-1", 3600));
        conduit.server.path("/introspect").setDefault(ScriptedResponse.json(200, "{\"active\": true}"));

        JsonObject test = createWithIntrospection("crm").getJsonObject("tokenTest");

        assertThat(test.getBoolean("ok")).isTrue();
        assertThat(test.getJsonObject("introspection").getBoolean("active")).isTrue();
        assertThat(test.getJsonObject("introspection").containsKey("hint")).isFalse();
        assertThat(conduit.server.requests("/introspect")).singleElement()
                .satisfies(r -> assertThat(r.formParameter("token")).contains("token-1"));
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void testWhenIntrospectionSaysInactiveThenReportedWithHintAndStatusStaysOk() {
        conduit.server.path("/token").setDefault(ScriptedResponse.okToken("token-1", 3600));
        conduit.server.path("/introspect").setDefault(ScriptedResponse.json(200, "{\"active\": false}"));
        createWithIntrospection("crm");

        JsonObject test = resource.test("crm", TestConduit.login("admin", "conduit-admin"), uri("connected-systems/crm/test"))
                .getJsonObject("tokenTest");

        assertThat(test.getBoolean("ok")).isTrue();
        assertThat(test.getJsonObject("introspection").getBoolean("active")).isFalse();
        assertThat(test.getJsonObject("introspection").getString("hint")).contains("audience");
        assertThat(conduit.systems.status("crm").state()).isEqualTo(SystemStatus.State.OK);
        assertThat(conduit.server.requestCount("/introspect")).isEqualTo(2);
    }

    @Test
    void testWhenIntrospectionEndpointFailsThenReportedWithCodeAndTokenStillObtained() {
        conduit.server.path("/token").setDefault(ScriptedResponse.okToken("token-1", 3600));
        conduit.server.path("/introspect").setDefault(ScriptedResponse.oauthError(401, "invalid_client", "no"));

        JsonObject test = createWithIntrospection("crm").getJsonObject("tokenTest");

        assertThat(test.getBoolean("ok")).isTrue();
        JsonObject introspection = test.getJsonObject("introspection");
        assertThat(introspection.getBoolean("active")).isFalse();
        assertThat(introspection.getString("code")).isEqualTo("INVALID_CLIENT");
        assertThat(introspection.getString("hint")).isNotBlank();
        assertThat(conduit.server.requestCount("/introspect")).isEqualTo(1);
    }

    @Test
    void createWhenNoIntrospectionEndpointThenNoIntrospectionReportedAndNoRequest() {
        conduit.server.path("/token").setDefault(ScriptedResponse.okToken("token-1", 3600));

        JsonObject created = (JsonObject) resource.create(body(conduit.clientCredentialsJson("crm")),
                uri("connected-systems")).getEntity();

        assertThat(created.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(created.getJsonObject("tokenTest").containsKey("introspection")).isFalse();
        assertThat(conduit.server.requestCount("/introspect")).isZero();
    }
}
