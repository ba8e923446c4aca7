package dev.conduit.core.endpoint;

import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static dev.conduit.core.testing.ScriptedResponse.oauthError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.BodyFormat;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What goes on the wire: client authentication (RFC 6749 section 2.3.1), extra parameters, body format. */
class ClientAuthenticationTest {

    private static final String AWKWARD_SECRET = "p:a%s+s wörd";
    private static final String AWKWARD_ID = "client:id+1 %41";
    private static final Map<String, String> GRANT = Map.of("grant_type", "client_credentials", "scope", "read");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

    private final HostileTokenServer server = HostileTokenServer.start();
    private final HttpTokenEndpointFactory factory =
            new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), HttpSettings.DEFAULT, CLOCK);

    @AfterEach
    void stop() {
        server.close();
    }

    /** A server that checks HTTP Basic as RFC 6749 says: base64, split at the first ':', form-url-decode both. */
    private ScriptedResponse basicCheck(RecordedRequest request) {
        Optional<RecordedRequest.BasicCredentials> credentials = request.basicCredentials();
        boolean valid = credentials.isPresent() && credentials.get().clientId().equals(AWKWARD_ID)
                && credentials.get().clientSecret().equals(AWKWARD_SECRET);
        return valid ? okToken("basic-accepted-token", 60) : oauthError(401, "invalid_client", "credentials differ");
    }

    @Test
    void requestTokenWhenBasicWithReservedAndNonAsciiCharactersThenServerDecodesTheOriginals() {
        server.handle(this::basicCheck);
        ConnectedSystem system = TestSystems.clientCredentials(server).clientId(AWKWARD_ID)
                .clientSecret(Secret.of(AWKWARD_SECRET)).clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC).build();

        assertThat(factory.forSystem(system).requestToken(GRANT).accessToken().reveal())
                .isEqualTo("basic-accepted-token");
        RecordedRequest request = server.lastRequest();
        assertThat(request.formParameters()).doesNotContainKeys("client_id", "client_secret");
        assertThat(request.formParameter("grant_type")).contains("client_credentials");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenBasicSecretWouldBeSentRawThenServerRefuses() {
        // the check above is not vacuous: a raw (un-encoded) pair does not decode to the originals
        server.handle(this::basicCheck);
        String raw = java.util.Base64.getEncoder().encodeToString((AWKWARD_ID + ":" + AWKWARD_SECRET)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RecordedRequest forged = new RecordedRequest("POST", "/token", null,
                Map.of("Authorization", java.util.List.of("Basic " + raw)), new byte[0]);

        assertThat(basicCheck(forged).status()).isEqualTo(401);
        assertThat(ClientAuthenticator.basic(AWKWARD_ID, AWKWARD_SECRET)).isNotEqualTo("Basic " + raw);
    }

    @Test
    void requestTokenWhenClientSecretPostThenCredentialsInBodyAndNoAuthorizationHeader() {
        server.setDefault(okToken("post-token", 60));
        ConnectedSystem system = TestSystems.clientCredentials(server).clientId(AWKWARD_ID)
                .clientSecret(Secret.of(AWKWARD_SECRET)).clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST).build();

        factory.forSystem(system).requestToken(GRANT);

        RecordedRequest request = server.lastRequest();
        assertThat(request.header("Authorization")).isEmpty();
        assertThat(request.formParameter("client_id")).contains(AWKWARD_ID);
        assertThat(request.formParameter("client_secret")).contains(AWKWARD_SECRET);
        assertThat(request.header("Content-Type")).contains("application/x-www-form-urlencoded");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenNoSecretThenPublicClientSendsOnlyClientId() {
        server.setDefault(okToken("public-token", 60));
        ConnectedSystem system = TestSystems.clientCredentials(server).clientSecret(null).build();

        factory.forSystem(system).requestToken(GRANT);

        RecordedRequest request = server.lastRequest();
        assertThat(request.header("Authorization")).isEmpty();
        assertThat(request.formParameter("client_id")).contains(TestSystems.CLIENT_ID);
        assertThat(request.formParameters()).doesNotContainKey("client_secret");
    }

    @Test
    void requestTokenWhenExtraParametersHoldTemplatesThenRenderedIntoQueryFormAndHeader() {
        server.setDefault(okToken("templated-token", 60));
        ConnectedSystem system = TestSystems.clientCredentials(server)
                .tokenEndpoint(server.url("/${tenant}/token"))
                .variable(Variable.plain("tenant", "acme"))
                .variable(Variable.plain("audience", "https://api.example.com/a b&c"))
                .variable(Variable.secret("apiKey", Secret.of("api-key-5f1e2d3c4b")))
                .extraQueryParameter("tenant", "${tenant}")
                .extraFormParameter("audience", "${audience}")
                .extraFormParameter("resource", "urn:${tenant}:api")
                .extraHeader("X-Api-Key", "key ${apiKey}")
                .build();
        server.path("/acme/token").setDefault(okToken("templated-token", 60));

        factory.forSystem(system).requestToken(GRANT);

        RecordedRequest request = server.lastRequest();
        assertThat(request.path()).isEqualTo("/acme/token");
        assertThat(request.queryParameter("tenant")).contains("acme");
        assertThat(request.formParameter("audience")).contains("https://api.example.com/a b&c");
        assertThat(request.formParameter("resource")).contains("urn:acme:api");
        assertThat(request.header("X-Api-Key")).contains("key api-key-5f1e2d3c4b");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenVariableWouldChangeThePathThenItIsEncoded() {
        server.setDefault(okToken("encoded-token", 60));
        ConnectedSystem system = TestSystems.clientCredentials(server)
                .tokenEndpoint(server.url("/t/${tenant}/token"))
                .variable(Variable.plain("tenant", "../admin?x=1#"))
                .build();

        factory.forSystem(system).requestToken(GRANT);

        RecordedRequest request = server.lastRequest();
        assertThat(request.path()).isEqualTo("/t/../admin?x=1#/token");
        assertThat(request.query()).isNull();
    }

    @Test
    void requestTokenWhenGrantParameterAndExtraParameterShareANameThenGrantWins() {
        server.setDefault(okToken("precedence-token", 60));
        ConnectedSystem system = TestSystems.clientCredentials(server)
                .extraFormParameter("grant_type", "password").build();

        factory.forSystem(system).requestToken(GRANT);

        assertThat(server.lastRequest().formParameters().get("grant_type")).containsExactly("client_credentials");
    }

    @Test
    void requestTokenWhenJsonBodyFormatThenSameParametersAsJsonObject() throws Exception {
        server.setDefault(okToken("json-token", 60));
        ConnectedSystem system = TestSystems.clientCredentials(server).bodyFormat(BodyFormat.JSON)
                .clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST)
                .extraFormParameter("audience", "orders").build();

        factory.forSystem(system).requestToken(GRANT);

        RecordedRequest request = server.lastRequest();
        assertThat(request.header("Content-Type")).contains("application/json");
        JsonObject body = Json.createReader(new ByteArrayInputStream(request.body())).readObject();
        assertThat(body.getString("grant_type")).isEqualTo("client_credentials");
        assertThat(body.getString("scope")).isEqualTo("read");
        assertThat(body.getString("audience")).isEqualTo("orders");
        assertThat(body.getString("client_id")).isEqualTo(TestSystems.CLIENT_ID);
        assertThat(body.getString("client_secret")).isEqualTo(TestSystems.CLIENT_SECRET);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenParameterHasNoValueThenInvalidRequestBeforeAnyRequest() {
        ConnectedSystem system = TestSystems.clientCredentials(server).build();
        Map<String, String> parameters = new java.util.HashMap<>();
        parameters.put("grant_type", "client_credentials");
        parameters.put("audience", null);

        assertThatThrownBy(() -> factory.forSystem(system).requestToken(parameters))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("audience");
                });
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void requestTokenWhenExtraHeaderIsRestrictedThenInvalidConfigurationBeforeAnyRequest() {
        ConnectedSystem system = TestSystems.clientCredentials(server).extraHeader("Host", "evil.example.com").build();

        assertThatThrownBy(() -> factory.forSystem(system).requestToken(GRANT))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("extraHeaders.Host");
                });
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void requestTokenWhenSecretVariableUsedThenItNeverAppearsInErrors() {
        server.setDefault(oauthError(400, "invalid_request", "api key api-key-5f1e2d3c4b not accepted"));
        ConnectedSystem system = TestSystems.clientCredentials(server)
                .variable(Variable.secret("apiKey", Secret.of("api-key-5f1e2d3c4b")))
                .extraFormParameter("key", "${apiKey}").build();
        LeakCheck leaks = new LeakCheck().secret("api-key-5f1e2d3c4b", TestSystems.CLIENT_SECRET);

        RuntimeException e = leaks.expectThrows(() -> factory.forSystem(system).requestToken(GRANT));

        assertThat(((ConduitException) e).code()).isEqualTo(ErrorCode.TOKEN_ENDPOINT_ERROR);
        assertThat(server.lastRequest().formParameter("key")).contains("api-key-5f1e2d3c4b");
        leaks.collect(system);
        leaks.assertNoLeak();
    }
}
