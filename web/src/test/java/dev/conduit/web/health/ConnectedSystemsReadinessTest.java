package dev.conduit.web.health;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.web.TestConduit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConnectedSystemsReadinessTest {

    private final TestConduit conduit = new TestConduit();
    private final ConnectedSystemsReadiness readiness = new ConnectedSystemsReadiness(conduit.systems);

    @BeforeAll
    static void installResponseBuilder() {
        RecordingResponseBuilder.install();
    }

    @AfterEach
    void close() {
        conduit.close();
    }

    @Test
    void callWhenEverySystemOkThenUp() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        conduit.systemsResource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));

        HealthCheckResponse response = readiness.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("systems", 1L).containsEntry("inError", 0L);
    }

    @Test
    void callWhenSystemDisabledThenDownWithItsReason() {
        conduit.server.setDefault(ScriptedResponse.oauthError(401, "invalid_client", "bad secret"));
        conduit.systemsResource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));

        HealthCheckResponse response = readiness.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow()).containsEntry("inError", 1L);
        assertThat((String) response.getData().orElseThrow().get("crm")).startsWith("INVALID_CLIENT: ")
                .contains("invalid_client");
    }
}
