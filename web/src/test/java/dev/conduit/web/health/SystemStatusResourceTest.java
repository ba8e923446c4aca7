package dev.conduit.web.health;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.web.TestConduit;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemStatusResourceTest {

    private final TestConduit conduit = new TestConduit();
    private final SystemStatusResource resource = new SystemStatusResource(conduit.admin);

    @AfterEach
    void close() {
        conduit.close();
    }

    @Test
    void statusWhenEverySystemOkThenNoneInError() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        conduit.systemsResource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));
        int tokenRequests = conduit.server.requestCount();

        JsonObject status = resource.status();

        assertThat(status.getInt("systems")).isEqualTo(1);
        assertThat(status.getInt("inError")).isZero();
        assertThat(status.getJsonArray("connectedSystems").getJsonObject(0).getString("status")).isEqualTo("OK");
        assertThat(conduit.server.requestCount()).as("reading the status requests no token").isEqualTo(tokenRequests);
    }

    @Test
    void statusWhenSystemDisabledThenItsCodeReasonAndHint() {
        conduit.server.setDefault(ScriptedResponse.oauthError(401, "invalid_client", "bad secret"));
        conduit.systemsResource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));
        int tokenRequests = conduit.server.requestCount();

        JsonObject status = resource.status();

        assertThat(status.getInt("inError")).isEqualTo(1);
        JsonObject crm = status.getJsonArray("connectedSystems").getJsonObject(0);
        assertThat(crm.getString("name")).isEqualTo("crm");
        assertThat(crm.getString("errorCode")).isEqualTo("INVALID_CLIENT");
        assertThat(crm.getString("disabledReason")).contains("invalid_client");
        assertThat(crm.getString("hint")).containsIgnoringCase("secret");
        assertThat(conduit.server.requestCount()).as("reading the status requests no token").isEqualTo(tokenRequests);
    }
}
