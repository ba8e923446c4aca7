package dev.conduit.web.system;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.TestConduit;
import jakarta.json.JsonObject;
import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stored secret is sent only to the hosts it was entered for: an edit that moves the token endpoint, the revocation
 * endpoint or the integration base URL to another host, or switches the client authentication method, must send the
 * secret again. A second loopback listener stands for the other host and counts what reaches it.
 */
class SecretFollowsDestinationTest {

    private static final String SECRET_FIELD = "\"clientSecret\": \"" + TestSystems.CLIENT_SECRET + "\",";

    private final TestConduit conduit = new TestConduit();
    private final HostileTokenServer elsewhere = HostileTokenServer.start();

    @BeforeEach
    void setUp() {
        conduit.server.setDefault(ScriptedResponse.okToken("first-token-41d2", 3600));
        elsewhere.setDefault(ScriptedResponse.okToken("elsewhere-token-77ab", 3600));
    }

    @AfterEach
    void close() {
        conduit.close();
        elsewhere.close();
    }

    private void create(String json) {
        assertThat(conduit.systemsResource.create(body(json), uri("connected-systems")).getStatus()).isEqualTo(201);
    }

    private JsonObject update(String name, String json) {
        return conduit.systemsResource.update(name, body(json), uri("connected-systems/" + name));
    }

    /** The system's JSON with the client secret left out, as an edit that keeps the stored one sends it. */
    private static String withoutSecret(String json) {
        assertThat(json).contains(SECRET_FIELD);
        return json.replace(SECRET_FIELD, "");
    }

    private void assertRefusedNaming(String name, String json, String field) {
        ConnectedSystem before = conduit.systems.find(name).orElseThrow();
        int requestsBefore = conduit.server.requestCount();

        assertThatThrownBy(() -> update(name, json)).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SECRET_REQUIRED);
            assertThat(e.field()).contains(field);
            assertThat(e.getMessage()).doesNotContain(TestSystems.CLIENT_SECRET);
        });
        assertThat(elsewhere.requestCount()).isZero();
        assertThat(conduit.server.requestCount()).isEqualTo(requestsBefore);
        ConnectedSystem after = conduit.systems.find(name).orElseThrow();
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.endpoints()).isEqualTo(before.endpoints());
        assertThat(after.integration()).isEqualTo(before.integration());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/token, tokenEndpoint", "/api, integrationBaseUrl"})
    void updateWhenDestinationMovesToAnotherHostWithoutSecretThenSecretRequiredAndNothingSentThere(String path,
            String field) {
        create(conduit.clientCredentialsJson("crm"));
        String moved = conduit.clientCredentialsJson("crm").replace(conduit.server.url(path), elsewhere.url(path));
        assertThat(moved).contains(elsewhere.url(path));

        assertRefusedNaming("crm", withoutSecret(moved), "clientSecret");
    }

    @Test
    void updateWhenRevocationEndpointMovesToAnotherHostWithoutSecretThenSecretRequired() {
        String withRevocation = conduit.authorizationCodeJson("calendar").replaceFirst("\\{",
                "{\"revocationEndpoint\": \"" + conduit.server.url("/revoke") + "\",");
        create(withRevocation);

        assertRefusedNaming("calendar", withoutSecret(withRevocation.replace(conduit.server.url("/revoke"),
                elsewhere.url("/revoke"))), "clientSecret");
    }

    @Test
    void updateWhenIntrospectionEndpointAddedOnAnotherHostWithoutSecretThenSecretRequired() {
        create(conduit.clientCredentialsJson("crm"));

        assertRefusedNaming("crm", withoutSecret(conduit.clientCredentialsJson("crm").replaceFirst("\\{",
                "{\"introspectionEndpoint\": \"" + elsewhere.url("/introspect") + "\",")), "clientSecret");
    }

    @Test
    void updateWhenClientAuthMethodSwitchesWithoutSecretThenSecretRequired() {
        create(conduit.clientCredentialsJson("crm"));

        assertRefusedNaming("crm", withoutSecret(conduit.clientCredentialsJson("crm").replaceFirst("\\{",
                "{\"clientAuthMethod\": \"client_secret_post\",")), "clientSecret");
    }

    @Test
    void updateWhenHostComesFromAVariableThatChangesThenSecretRequired() {
        // localhost and 127.0.0.1 are two host names: the edit changes only the variable, not the endpoint's text
        String templated = conduit.clientCredentialsJson("crm")
                .replace(conduit.server.url("/token"), "http://${host}:" + elsewhere.port() + "/token")
                .replaceFirst("\\{", "{\"variables\": {\"host\": {\"value\": \"localhost\"}},");
        create(templated);
        elsewhere.reset();

        assertRefusedNaming("crm", withoutSecret(templated.replace("\"localhost\"", "\"127.0.0.1\"")),
                "clientSecret");
    }

    @Test
    void updateWhenSecretVariableKeptAndTokenEndpointMovesThenSecretRequiredNamingTheVariable() {
        String withSecretVariable = conduit.clientCredentialsJson("crm").replaceFirst("\\{", Matcher.quoteReplacement(
                "{\"variables\": {\"apiKey\": {\"secret\": true, \"value\": \"api-key-93fe\"}},"
                        + "\"extraHeaders\": {\"X-Api-Key\": \"${apiKey}\"},"));
        create(withSecretVariable);
        String moved = withSecretVariable.replace(conduit.server.url("/token"), elsewhere.url("/token"))
                .replace("{\"secret\": true, \"value\": \"api-key-93fe\"}", "{\"secret\": true}");

        assertRefusedNaming("crm", moved, "variables.apiKey");
    }

    @Test
    void updateWhenDestinationMovesWithSecretSentAgainThenSavedAndOnlyTheNewSecretGoesThere() {
        create(conduit.clientCredentialsJson("crm"));
        String moved = conduit.clientCredentialsJson("crm").replace(conduit.server.url("/token"),
                elsewhere.url("/token")).replace(TestSystems.CLIENT_SECRET, "secret-for-elsewhere-5a0c");

        JsonObject view = update("crm", moved);

        assertThat(view.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(elsewhere.requestCount("/token")).isEqualTo(1);
        RecordedRequest sent = elsewhere.lastRequest();
        assertThat(sent.basicCredentials().orElseThrow().clientSecret()).isEqualTo("secret-for-elsewhere-5a0c");
        assertThat(sent.toString() + sent.bodyText() + sent.headers()).doesNotContain(TestSystems.CLIENT_SECRET);
    }

    @Test
    void updateWhenSwitchingToPrivateKeyJwtWithTheKeyThenTheKeptClientSecretIsDropped() throws Exception {
        create(conduit.clientCredentialsJson("crm"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        String switched = withoutSecret(conduit.clientCredentialsJson("crm")).replaceFirst("\\{", Matcher.quoteReplacement(
                "{\"clientAuthMethod\": \"private_key_jwt\", \"clientAssertionKey\": " + Json.createValue(pem) + ","));

        JsonObject view = update("crm", switched);

        assertThat(view.getBoolean("clientSecretSet")).isFalse();
        assertThat(view.getBoolean("clientAssertionKeySet")).isTrue();
        assertThat(conduit.systems.find("crm").orElseThrow().client().secret()).isEmpty();
        assertThat(conduit.server.lastRequest().formParameter("client_assertion")).isPresent();
        assertThat(conduit.server.lastRequest().bodyText() + conduit.server.lastRequest().headers())
                .doesNotContain(TestSystems.CLIENT_SECRET);
    }

    @Test
    void updateWhenOnlyThePathChangesOnTheSameHostThenStoredSecretKeptAndUsed() {
        create(conduit.clientCredentialsJson("crm"));
        int before = conduit.server.requestCount("/oauth/token");

        JsonObject view = update("crm", withoutSecret(conduit.clientCredentialsJson("crm")
                .replace(conduit.server.url("/token"), conduit.server.url("/oauth/token"))));

        assertThat(view.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(conduit.server.requestCount("/oauth/token")).isEqualTo(before + 1);
        assertThat(conduit.server.lastRequest().basicCredentials().orElseThrow().clientSecret())
                .isEqualTo(TestSystems.CLIENT_SECRET);
        assertThat(elsewhere.requestCount()).isZero();
    }
}
