package dev.conduit.web.system;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.login;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.Roles;
import dev.conduit.web.TestConduit;
import dev.conduit.web.problem.ProblemException;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectedSystemsResourceTest {

    private final TestConduit conduit = new TestConduit();
    private final ConnectedSystemsResource resource = conduit.systemsResource;

    @AfterEach
    void close() {
        conduit.close();
    }

    private JsonObject create(String json) {
        Response response = resource.create(body(json), uri("connected-systems"));
        assertThat(response.getStatus()).isEqualTo(201);
        return (JsonObject) response.getEntity();
    }

    @Test
    void createWhenClientCredentialsSystemThenTokenTestedAndSecretNeverShown() {
        conduit.server.enqueue(ScriptedResponse.okToken("access-token-9d2c41", 3600));

        Response response = resource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getLocation()).hasToString(TestConduit.PUBLIC_URL + "/api/connected-systems/crm");
        JsonObject view = (JsonObject) response.getEntity();
        assertThat(view.getBoolean("clientSecretSet")).isTrue();
        assertThat(view.getString("redirectUri")).isEqualTo(TestConduit.REDIRECT_URI);
        assertThat(view.getString("status")).isEqualTo("OK");
        assertThat(view.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(view.toString()).doesNotContain(TestSystems.CLIENT_SECRET).doesNotContain("access-token-9d2c41");
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void createWhenNoScopeRequestedNorGrantedThenTokenTestScopeIsNullNotEmpty() {
        conduit.server.enqueue(ScriptedResponse.okToken("access-token-5e1b", 3600));
        String withoutScope = conduit.clientCredentialsJson("crm").replace("\"scope\": \"read write\",", "");
        assertThat(withoutScope).doesNotContain("scope");

        JsonObject test = create(withoutScope).getJsonObject("tokenTest");

        assertThat(test.getBoolean("ok")).isTrue();
        assertThat(test.isNull("scope")).isTrue();
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void createWhenProviderRefusesClientThenSavedWithFailedTokenTestAndReason() {
        conduit.server.enqueue(ScriptedResponse.oauthError(401, "invalid_client", "Client authentication failed"));

        JsonObject view = create(conduit.clientCredentialsJson("crm"));

        JsonObject test = view.getJsonObject("tokenTest");
        assertThat(test.getBoolean("ok")).isFalse();
        assertThat(test.getString("code")).isEqualTo(ErrorCode.INVALID_CLIENT.name());
        assertThat(test.getString("error")).isEqualTo("invalid_client");
        assertThat(test.getString("error_description")).isEqualTo("Client authentication failed");
        assertThat(test.getString("hint")).isEqualTo(ErrorCode.INVALID_CLIENT.hint());
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
        JsonObject read = resource.get("crm", uri("connected-systems/crm"));
        assertThat(read.getString("status")).isEqualTo("ERROR");
        assertThat(read.getString("errorCode")).isEqualTo("INVALID_CLIENT");
        assertThat(read.getString("disabledReason")).isNotBlank();
        assertThat(read.getString("hint")).isEqualTo(ErrorCode.INVALID_CLIENT.hint());
    }

    @Test
    void createWhenAuthorizationCodeSystemThenNoTokenRequestAndPerUser() {
        JsonObject view = create(conduit.authorizationCodeJson("calendar"));

        assertThat(view.getString("tokenScope")).isEqualTo("PER_USER");
        assertThat(view.containsKey("tokenTest")).isFalse();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void createWhenGrantTypeUnknownThenRefusedNamingFieldAndNothingStored() {
        String json = conduit.clientCredentialsJson("crm").replace("client_credentials", "password");

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_GRANT_TYPE);
                    assertThat(e.field()).contains("grantType");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void createWhenNameLongerThan50ThenRefusedNamingName() {
        String json = conduit.clientCredentialsJson("n".repeat(51));

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("name");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
    }

    @Test
    void createWhenTokenEndpointNotAUrlThenRefusedNamingField() {
        String json = conduit.clientCredentialsJson("crm").replace(conduit.server.url("/token"), "not a url");

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("tokenEndpoint");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
    }

    @Test
    void createWhenEndpointOnPublicHostOverHttpThenEndpointNotAllowed() {
        String json = conduit.clientCredentialsJson("crm").replace(conduit.server.url("/token"),
                "http://idp.example.com/token");

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
                    assertThat(e.field()).contains("tokenEndpoint");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void createWhenNameTakenThenDuplicateAndStoredSystemUnchanged() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        create(conduit.clientCredentialsJson("crm"));
        String other = conduit.clientCredentialsJson("crm").replace(TestSystems.CLIENT_ID, "someone-else");

        assertThatThrownBy(() -> resource.create(body(other), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_SYSTEM));
        assertThat(conduit.systems.find("crm").orElseThrow().client().id()).isEqualTo(TestSystems.CLIENT_ID);
        assertThat(conduit.systems.find("crm").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void createWhenJsonMalformedThenInvalidRequestNamingBody() {
        assertThatThrownBy(() -> resource.create(body("{\"name\": \"crm\","), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("body");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
    }

    @Test
    void createWhenFieldMisspeltThenInvalidRequestNamingIt() {
        String json = conduit.clientCredentialsJson("crm").replace("\"scope\"", "\"scopes\"");

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("scopes");
                });
    }

    @Test
    void createWhenFieldHasWrongTypeThenInvalidRequestNamingNestedField() {
        String json = conduit.clientCredentialsJson("crm").replace("\"maxAttempts\": 2", "\"maxAttempts\": \"two\"");

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("retryPolicy.maxAttempts");
                });
    }

    @Test
    void createWhenBodyOverLimitThen413AndNothingStored() {
        String padding = " ".repeat(300 * 1024);
        String json = conduit.clientCredentialsJson("crm").replaceFirst("\\{", "{" + padding);

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(413);
                    assertThat(e.problem().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.problem().field()).isEqualTo("body");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
    }

    @Test
    void updateWhenSecretLeftOutThenStoredSecretStillAuthenticates() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        create(conduit.clientCredentialsJson("crm"));
        String withoutSecret = conduit.clientCredentialsJson("crm")
                .replace("\"clientSecret\": \"" + TestSystems.CLIENT_SECRET + "\",", "")
                .replace("read write", "read");

        JsonObject view = resource.update("crm", body(withoutSecret), uri("connected-systems/crm"));

        assertThat(view.getBoolean("clientSecretSet")).isTrue();
        assertThat(view.getString("scope")).isEqualTo("read");
        assertThat(view.getInt("version")).isEqualTo(2);
        String basic = conduit.server.lastRequest().header("Authorization").orElseThrow();
        String decoded = new String(Base64.getDecoder().decode(basic.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo(TestSystems.CLIENT_ID + ":" + TestSystems.CLIENT_SECRET);
    }

    @Test
    void updateWhenClientIdChangesThenStoredTokensDiscarded() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        create(conduit.clientCredentialsJson("crm"));
        conduit.server.setDefault(ScriptedResponse.oauthError(503, "temporarily_unavailable", "down"));
        TokenKey key = new TokenKey("crm", Subject.application());
        assertThat(conduit.tokens.load(key)).isPresent();

        resource.update("crm", body(conduit.clientCredentialsJson("crm").replace(TestSystems.CLIENT_ID, "new-client")),
                uri("connected-systems/crm"));

        assertThat(conduit.tokens.load(key)).isEmpty();
    }

    @Test
    void updateWhenNameInBodyDiffersThenRefusedAndNothingChanges() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        create(conduit.clientCredentialsJson("crm"));

        assertThatThrownBy(() -> resource.update("crm", body(conduit.clientCredentialsJson("erp")),
                uri("connected-systems/crm"))).isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("name");
                });
        assertThat(conduit.systems.find("crm").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void updateWhenVersionStaleThenConcurrentModification() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        create(conduit.clientCredentialsJson("crm"));
        resource.update("crm", body(conduit.clientCredentialsJson("crm")), uri("connected-systems/crm"));
        String stale = conduit.clientCredentialsJson("crm").replaceFirst("\\{", "{\"version\": 1,");

        assertThatThrownBy(() -> resource.update("crm", body(stale), uri("connected-systems/crm")))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONCURRENT_MODIFICATION));
    }

    @Test
    void deleteWhenUnknownThenUnknownSystem() {
        assertThatThrownBy(() -> resource.delete("nope")).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SYSTEM));
    }

    @Test
    void deleteWhenSystemHasTokensThenSystemAndTokensGone() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        create(conduit.clientCredentialsJson("crm"));

        assertThat(resource.delete("crm").getStatus()).isEqualTo(204);

        assertThat(conduit.systems.find("crm")).isEmpty();
        assertThat(conduit.tokens.load(new TokenKey("crm", Subject.application()))).isEmpty();
    }

    @Test
    void testWhenClientCredentialsThenOneTokenRequestAndOutcome() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        create(conduit.clientCredentialsJson("crm"));

        JsonObject outcome = resource.test("crm", login("admin", Roles.ADMIN), uri("connected-systems/crm/test"));

        assertThat(outcome.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(outcome.getJsonObject("system").getString("name")).isEqualTo("crm");
        assertThat(conduit.server.requestCount("/token")).isEqualTo(2);
    }

    @Test
    void testWhenAuthorizationCodeThenAuthorizationLinkForTheAdministrator() {
        create(conduit.authorizationCodeJson("calendar"));

        JsonObject outcome = resource.test("calendar", login("admin", Roles.ADMIN),
                uri("connected-systems/calendar/test"));

        String url = outcome.getJsonObject("authorizationLink").getString("url");
        assertThat(url).startsWith(conduit.server.url("/authorize"))
                .contains("redirect_uri=" + java.net.URLEncoder.encode(TestConduit.REDIRECT_URI, StandardCharsets.UTF_8))
                .contains("code_challenge_method=S256");
        assertThat(conduit.pending.size()).isEqualTo(1);
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void enableWhenSystemInErrorThenOkAgain() {
        conduit.server.enqueue(ScriptedResponse.oauthError(401, "invalid_client", "bad secret"));
        create(conduit.clientCredentialsJson("crm"));
        assertThat(conduit.systems.status("crm").isOk()).isFalse();

        JsonObject view = resource.enable("crm", uri("connected-systems/crm/enable"));

        assertThat(view.getString("status")).isEqualTo("OK");
        assertThat(view.isNull("disabledReason")).isTrue();
    }

    @Test
    void listWhenSecretVariablesSetThenOnlyThatTheyAreSet() {
        conduit.server.setDefault(ScriptedResponse.okToken("t", 3600));
        String json = conduit.clientCredentialsJson("crm").replaceFirst("\\{", """
                {"variables": {"tenant": {"value": "acme"}, "apiKey": {"secret": true, "value": "api-key-5c1e88"}},
                """);
        create(json);

        JsonObject listed = resource.list(uri("connected-systems")).getJsonObject(0);

        assertThat(listed.getJsonObject("variables").getJsonObject("tenant").getString("value")).isEqualTo("acme");
        assertThat(listed.getJsonObject("variables").getJsonObject("apiKey").getBoolean("valueSet")).isTrue();
        assertThat(listed.toString()).doesNotContain("api-key-5c1e88").doesNotContain(TestSystems.CLIENT_SECRET);
    }
}
