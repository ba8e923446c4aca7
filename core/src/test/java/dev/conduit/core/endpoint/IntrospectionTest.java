package dev.conduit.core.endpoint;

import static dev.conduit.core.testing.ScriptedResponse.json;
import static dev.conduit.core.testing.ScriptedResponse.oauthError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.TestSystems;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 7662 token introspection: what a token test asks of the provider about the token it just obtained. */
class IntrospectionTest {

    private static final Secret TOKEN = Secret.of("access-to-check-5e21b7");

    private final HostileTokenServer server = HostileTokenServer.start();
    private final HttpTokenEndpointFactory factory = new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(),
            TestSystems.answeringSettings(), Clock.systemUTC());
    private final ConnectedSystem system = TestSystems.clientCredentials(server)
            .introspectionEndpoint(server.url("/introspect")).build();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void introspectWhenServerSaysActiveThenTrueWithTokenHintAndClientAuthentication() {
        server.path("/introspect").setDefault(json(200, "{\"active\": true, \"client_id\": \"conduit\"}"));

        boolean active = factory.isActive(system, TOKEN);

        assertThat(active).isTrue();
        RecordedRequest request = server.lastRequest();
        assertThat(request.path()).isEqualTo("/introspect");
        assertThat(request.formParameter("token")).contains(TOKEN.reveal());
        assertThat(request.formParameter("token_type_hint")).contains("access_token");
        assertThat(request.basicCredentials().orElseThrow().clientSecret()).isEqualTo(TestSystems.CLIENT_SECRET);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void introspectWhenServerSaysInactiveThenFalse() {
        server.path("/introspect").setDefault(json(200, "{\"active\": false}"));

        assertThat(factory.isActive(system, TOKEN)).isFalse();
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void introspectWhenAnswerHasNoBooleanActiveThenInvalidTokenResponseNamingIntrospectionEndpoint() {
        server.path("/introspect").setDefault(json(200, "{\"active\": \"yes\"}"));

        assertThatThrownBy(() -> factory.isActive(system, TOKEN))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN_RESPONSE);
                    assertThat(e.field()).contains("introspectionEndpoint");
                    assertThat(e.getMessage()).doesNotContain(TOKEN.reveal());
                });
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void introspectWhenServerRefusesClientThenInvalidClient() {
        server.path("/introspect").setDefault(oauthError(401, "invalid_client", "unknown client"));

        assertThatThrownBy(() -> factory.isActive(system, TOKEN))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT));
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void introspectWhenSystemHasNoIntrospectionEndpointThenInvalidConfigurationAndNoRequest() {
        ConnectedSystem without = TestSystems.clientCredentials(server).build();

        assertThatThrownBy(() -> factory.isActive(without, TOKEN))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("introspectionEndpoint");
                });
        assertThat(server.requestCount()).isZero();
    }
}
