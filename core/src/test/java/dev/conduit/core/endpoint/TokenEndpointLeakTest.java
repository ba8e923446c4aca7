package dev.conduit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every hostile answer again, with a system full of secrets and servers that echo them: no exception message, cause,
 * {@code toString()} or log line may carry a secret or token value.
 */
class TokenEndpointLeakTest {

    private static final String API_KEY = "api-key-value-6c1f0e9d8b7a";
    private static final String REFRESH = "refresh-token-sent-2b4d6f8a0c";

    @Test
    @SuppressWarnings("try") // the log capture only needs to be open
    void requestTokenWhenAnythingGoesWrongThenNoSecretInAnyText() throws Exception {
        LeakCheck leaks = new LeakCheck().secret(TestSystems.CLIENT_SECRET, API_KEY, REFRESH,
                HttpTokenEndpointTest.TOKEN, "large-body-token");
        int failures = 0;
        try (HostileTokenServer server = HostileTokenServer.start(); AutoCloseable logs = leaks.recordLogs()) {
            HttpTokenEndpointFactory factory = new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(),
                    TestSystems.fastSettings().withReadTimeout(java.time.Duration.ofSeconds(1)),
                    HttpTokenEndpointTest.CLOCK);
            for (ClientAuthMethod method : List.of(ClientAuthMethod.CLIENT_SECRET_BASIC, ClientAuthMethod.CLIENT_SECRET_POST)) {
                ConnectedSystem system = TestSystems.clientCredentials(server).clientAuthMethod(method)
                        .variable(Variable.secret("apiKey", Secret.of(API_KEY)))
                        .extraFormParameter("key", "${apiKey}")
                        .extraHeader("X-Api-Key", "${apiKey}")
                        .build();
                leaks.collect(system);
                HttpTokenEndpoint endpoint = factory.forSystem(system);
                leaks.collect(endpoint);
                for (ScriptedResponse answer : answers(server)) {
                    server.enqueue(answer);
                    leaks.expectThrows(() -> endpoint.requestToken(Map.of("grant_type", "refresh_token",
                            "refresh_token", REFRESH)));
                    failures++;
                }
                server.enqueue(ScriptedResponse.okToken(HttpTokenEndpointTest.TOKEN, 60, REFRESH));
                TokenSet tokens = leaks.capture(() -> endpoint.requestToken(Map.of("grant_type", "client_credentials")));
                assertThat(tokens.accessToken().reveal()).isEqualTo(HttpTokenEndpointTest.TOKEN);
                server.path("/revoke").enqueue(ScriptedResponse.status(400), ScriptedResponse.status(500));
                leaks.collect(endpoint.revoke(Secret.of(REFRESH), "refresh_token"));
                leaks.collect(endpoint.revoke(Secret.of(REFRESH), "refresh_token"));
            }
            assertThat(server.requestCount()).isEqualTo(2 * (failures / 2 + 1 + 2));
        }

        assertThat(failures).isGreaterThan(80);
        leaks.assertNoLeak();
    }

    /** The hostile table, plus servers that echo what they were sent. */
    private static java.util.List<ScriptedResponse> answers(HostileTokenServer server) {
        java.util.List<ScriptedResponse> answers = new java.util.ArrayList<>();
        HttpTokenEndpointTest.invalidAnswers().map(Arguments::get).map(a -> (ScriptedResponse) a[1])
                .forEach(answers::add);
        answers.add(ScriptedResponse.oauthError(400, "invalid_grant", "refresh token " + REFRESH + " is expired"));
        answers.add(ScriptedResponse.oauthError(401, "invalid_client",
                "secret " + TestSystems.CLIENT_SECRET + " and key " + API_KEY + " refused"));
        answers.add(ScriptedResponse.html(500, "<pre>Authorization: Basic "
                + ClientAuthenticator.basic(TestSystems.CLIENT_ID, TestSystems.CLIENT_SECRET) + " client_secret="
                + TestSystems.CLIENT_SECRET + "</pre>"));
        answers.add(ScriptedResponse.text(400, "you sent refresh_token=" + REFRESH + "&key=" + API_KEY));
        answers.add(ScriptedResponse.json(200, "{\"token\":\"" + HttpTokenEndpointTest.TOKEN + "\"}"));
        answers.add(ScriptedResponse.hang());
        return answers;
    }

    @Test
    void exceptionFromEndpointWhenInspectedThenCarriesNoSecretInOAuthError() {
        try (HostileTokenServer server = HostileTokenServer.start()) {
            server.enqueue(ScriptedResponse.oauthError(401, "invalid_client", TestSystems.CLIENT_SECRET));
            HttpTokenEndpoint endpoint = new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(),
                    TestSystems.fastSettings(), HttpTokenEndpointTest.CLOCK).forSystem(
                    TestSystems.clientCredentials(server).build());

            ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                    () -> endpoint.requestToken(Map.of("grant_type", "client_credentials")));

            assertThat(e.oauthError().orElseThrow().errorDescription()).isEqualTo("***");
        }
    }
}
