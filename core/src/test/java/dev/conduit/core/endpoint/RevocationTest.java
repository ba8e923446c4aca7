package dev.conduit.core.endpoint;

import static dev.conduit.core.testing.ScriptedResponse.hang;
import static dev.conduit.core.testing.ScriptedResponse.oauthError;
import static dev.conduit.core.testing.ScriptedResponse.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.policy.HostResolver;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.TestSystems;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 7009 revocation: best effort, never an exception for a server's failure. */
class RevocationTest {

    private static final Secret REFRESH = Secret.of("refresh-to-revoke-19af83c2");

    private final HostileTokenServer server = HostileTokenServer.start();
    private final HttpTokenEndpointFactory factory = new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(),
            TestSystems.fastSettings(), Clock.systemUTC());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void revokeWhenServerAnswers200ThenTrueWithTokenHintAndClientAuthentication() {
        server.path("/revoke").setDefault(status(200));

        boolean revoked = factory.forSystem(TestSystems.clientCredentials(server).build())
                .revoke(REFRESH, "refresh_token");

        assertThat(revoked).isTrue();
        RecordedRequest request = server.lastRequest();
        assertThat(request.path()).isEqualTo("/revoke");
        assertThat(request.formParameter("token")).contains(REFRESH.reveal());
        assertThat(request.formParameter("token_type_hint")).contains("refresh_token");
        assertThat(request.basicCredentials().orElseThrow().clientSecret()).isEqualTo(TestSystems.CLIENT_SECRET);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void revokeWhenClientSecretPostThenCredentialsInBody() {
        server.path("/revoke").setDefault(status(200));

        factory.forSystem(TestSystems.clientCredentials(server).clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST)
                .build()).revoke(REFRESH, null);

        RecordedRequest request = server.lastRequest();
        assertThat(request.formParameter("client_secret")).contains(TestSystems.CLIENT_SECRET);
        assertThat(request.formParameters()).doesNotContainKey("token_type_hint");
    }

    @Test
    @SuppressWarnings("try") // the log capture only needs to be open
    void revokeWhenServerRefusesOrFailsThenFalse() {
        LeakCheck leaks = new LeakCheck().secret(REFRESH).secret(TestSystems.CLIENT_SECRET);
        server.path("/revoke").enqueue(oauthError(400, "unsupported_token_type", null), status(503), hang());
        var endpoint = factory.forSystem(TestSystems.clientCredentials(server).build());

        try (var logs = leaks.recordLogs()) {
            assertThat(endpoint.revoke(REFRESH, "refresh_token")).isFalse();
            assertThat(endpoint.revoke(REFRESH, "refresh_token")).isFalse();
            assertThat(endpoint.revoke(REFRESH, "refresh_token")).isFalse();
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        assertThat(server.requestCount("/revoke")).isEqualTo(3);
        assertThat(leaks.collectedCount()).isGreaterThanOrEqualTo(3);
        leaks.assertNoLeak();
    }

    @Test
    void revokeWhenNoRevocationEndpointThenFalseWithoutRequest() {
        boolean revoked = factory.forSystem(TestSystems.clientCredentials(server).revocationEndpoint(null).build())
                .revoke(REFRESH, "refresh_token");

        assertThat(revoked).isFalse();
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void revokeWhenPolicyRefusesUrlThenEndpointNotAllowed() {
        HttpTokenEndpointFactory strict = new HttpTokenEndpointFactory(new EndpointPolicy(false, List.of(), HostResolver.SYSTEM),
                HttpSettings.DEFAULT, Clock.systemUTC());

        assertThatThrownBy(() -> strict.forSystem(TestSystems.clientCredentials(server).build())
                .revoke(REFRESH, "refresh_token"))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
                    assertThat(e.field()).contains("revocationEndpoint");
                });
        assertThat(server.requestCount()).isZero();
    }
}
