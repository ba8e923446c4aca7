package dev.conduit.web.audit;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ErrorCode;
import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditOutcome;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.TestConduit;
import dev.conduit.web.problem.Problem;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit records the filter derives from the answers of the real resources. */
class AuditEventsTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private final TestConduit conduit = new TestConduit();

    @AfterEach
    void close() {
        conduit.close();
    }

    @Test
    void ofWhenEditChangedEndpointAndSecretThenFieldNamesRecordedAndNoValue() {
        conduit.server.enqueue(ScriptedResponse.okToken("access-1", 3600));
        conduit.systemsResource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));
        conduit.server.enqueue(ScriptedResponse.okToken("access-2", 3600));

        JsonObject answer = conduit.systemsResource.update("crm", body(conduit.clientCredentialsJson("crm")
                .replace("\"scope\": \"read write\"", "\"scope\": \"read\"")
                .replace(TestSystems.CLIENT_SECRET, "rotated-secret-7f3a")), uri("connected-systems/crm"));
        AuditEvent event = AuditEvents.of(AT, "admin", AuditAction.UPDATE, "crm", 200, answer);

        assertThat(event.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(event.actor()).isEqualTo("admin");
        assertThat(event.system()).isEqualTo("crm");
        assertThat(event.details()).containsEntry("fields", "clientSecret, scope").containsEntry("tokenTest", "ok");
        assertThat(event.toString()).doesNotContain("rotated-secret-7f3a").doesNotContain(TestSystems.CLIENT_SECRET)
                .doesNotContain("access-2");
    }

    @Test
    void ofWhenRefusedWithProblemThenFailureWithCodeAndField() {
        String problem = Problem.of(ErrorCode.ENDPOINT_NOT_ALLOWED, "tokenEndpoint: must use https")
                .withField("tokenEndpoint").toJson().toString();

        AuditEvent event = AuditEvents.of(AT, "admin", AuditAction.CREATE, null, 400, problem);

        assertThat(event.outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertThat(event.details()).containsEntry("code", "ENDPOINT_NOT_ALLOWED")
                .containsEntry("field", "tokenEndpoint").containsEntry("status", "400");
    }

    @Test
    void ofWhenTestAnswersFailedTokenTestThenFailureWithItsCode() {
        conduit.server.enqueue(ScriptedResponse.okToken("access-1", 3600));
        conduit.systemsResource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));
        conduit.server.enqueue(ScriptedResponse.oauthError(401, "invalid_client", "bad secret"));

        JsonObject answer = conduit.systemsResource.test("crm", TestConduit.login("admin"), uri("connected-systems/crm/test"));
        AuditEvent event = AuditEvents.of(AT, "admin", AuditAction.TEST, "crm", 200, answer);

        assertThat(event.outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertThat(event.details()).containsEntry("tokenTest", ErrorCode.INVALID_CLIENT.name());
    }

    @Test
    void refusedWhenBasicCredentialsThenUserNameRecordedAndPasswordNever() {
        FailedLogins logins = new FailedLogins(conduit.audit, conduit.clock);
        String header = "Basic " + Base64.getEncoder().encodeToString("mallory:guess-4e1b".getBytes(StandardCharsets.UTF_8));

        boolean recorded = logins.refused(header, "192.0.2.7");

        assertThat(recorded).isTrue();
        AuditEvent event = conduit.audit.all().get(0);
        assertThat(event.action()).isEqualTo(AuditAction.LOGIN_FAILED);
        assertThat(event.actor()).isEqualTo("mallory");
        assertThat(event.details()).containsEntry("from", "192.0.2.7");
        assertThat(event.toString()).doesNotContain("guess-4e1b");
    }

    @Test
    void refusedWhenManyGuessesThenAtMostTheLimitRecordedAMinute() {
        FailedLogins logins = new FailedLogins(conduit.audit, conduit.clock);
        String header = "Basic " + Base64.getEncoder().encodeToString("root:x".getBytes(StandardCharsets.UTF_8));

        for (int i = 0; i < 500; i++) {
            logins.refused(header, "192.0.2.7");
        }

        assertThat(conduit.audit.all()).hasSize(FailedLogins.PER_MINUTE);
    }

    @Test
    void refusedWhenNoCredentialsThenNothingRecorded() {
        FailedLogins logins = new FailedLogins(conduit.audit, conduit.clock);

        assertThat(logins.refused(null, "192.0.2.7")).isFalse();
        assertThat(conduit.audit.all()).isEmpty();
    }
}
