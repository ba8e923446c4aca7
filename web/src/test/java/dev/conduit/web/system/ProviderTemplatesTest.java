package dev.conduit.web.system;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.login;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.provider.ProviderTemplate;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.Roles;
import dev.conduit.web.TestConduit;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connected systems registered from provider templates: every built-in template saves like a hand-written system, a
 * field set by hand wins, and each provider's documented token response (fixtures under {@code fixtures/providers/})
 * is read right through the template's quirks.
 */
class ProviderTemplatesTest {

    private static final String SECRET = TestSystems.CLIENT_SECRET;

    private final TestConduit conduit = new TestConduit();
    /** The production read timeout: these tests are about what the answer says, not how fast it comes. */
    private final HttpTokenEndpointFactory endpoints =
            new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), HttpSettings.DEFAULT, conduit.clock);

    @AfterEach
    void close() {
        conduit.close();
    }

    @Test
    void renderWhenEveryTemplateAndGrantTypeWithExampleVariablesThenValidatedAndAllowedLikeAHandWrittenSystem() {
        // the production policy (https only, public hosts), with every host resolving to a public address
        EndpointPolicy strict = new EndpointPolicy(false, List.of(),
                host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})});
        SystemAdministration admin = new SystemAdministration(conduit.allSystems, conduit.grants, strict::checkSystem,
                conduit.tokenService, conduit.clock, conduit.configured, conduit.discovery, conduit.endpoints);
        scriptMetadata(conduit.server.url("/idp"));
        int checked = 0;
        for (ProviderTemplate template : conduit.templates.all()) {
            for (String grantType : template.grantTypes()) {
                Map<String, String> variables = examples(template);
                // a discovering template reads real metadata: the test server's, on loopback http
                SystemAdministration checks = template.endpoints().discover() ? conduit.admin : admin;
                if (template.endpoints().discover()) {
                    variables.put("issuer", conduit.server.url("/idp"));
                    variables.remove("integrationBaseUrl");
                }
                JsonObject request = request(template.id(), variables).add("grantType", grantType).build();

                ConnectedSystem system = checks.complete(
                        SystemJson.draft(TemplateRequest.expand(request, conduit.templates), null, Optional.empty()));
                checks.validate(system);

                assertThat(system.grantType()).isEqualTo(grantType);
                assertThat(SystemJson.write(system).build().getJsonObject("template"))
                        .isEqualTo(Json.createObjectBuilder().add("id", template.id())
                                .add("version", template.version()).build());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(22);
        assertThat(conduit.server.requestCount()).isEqualTo(2);
    }

    @Test
    void createWhenDiscoveryTemplateThenEndpointsAndAuthMethodFromTheIssuersMetadata() {
        String issuer = conduit.server.url("/idp");
        scriptMetadata(issuer);
        JsonObject request = request("oauth2-discovery", Map.of("issuer", issuer))
                .add("grantType", "authorization_code").build();

        JsonObject view = (JsonObject) conduit.systemsResource.create(body(request.toString()),
                uri("connected-systems")).getEntity();

        assertThat(view.getString("tokenEndpoint")).isEqualTo(issuer + "/token");
        assertThat(view.getString("authorizationEndpoint")).isEqualTo(issuer + "/authorize");
        assertThat(view.getString("clientAuthMethod")).isEqualTo("client_secret_post");
        assertThat(view.getJsonObject("template").getString("id")).isEqualTo("oauth2-discovery");
        assertThat(conduit.server.requestCount("/.well-known/oauth-authorization-server/idp")).isEqualTo(1);
    }

    @Test
    void createWhenKeycloakTemplateThenTheRenderedTokenEndpointIssuesTheTokenTest() {
        String tokenPath = "/realms/acme/protocol/openid-connect/token";
        conduit.server.path(tokenPath).setDefault(ScriptedResponse.okToken("access-token-5e1f0a", 300));
        JsonObject request = request("keycloak", Map.of("baseUrl", conduit.server.url(""), "realm", "acme"))
                .add("scope", "orders.read").build();

        Response response = conduit.systemsResource.create(body(request.toString()), uri("connected-systems"));

        assertThat(response.getStatus()).isEqualTo(201);
        JsonObject view = (JsonObject) response.getEntity();
        assertThat(view.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(view.getString("tokenEndpoint")).isEqualTo(conduit.server.url(tokenPath));
        assertThat(view.getString("issuer")).isEqualTo(conduit.server.url("/realms/acme"));
        assertThat(view.getJsonObject("template").getString("id")).isEqualTo("keycloak");
        assertThat(view.getJsonObject("variables").getJsonObject("realm").getString("value")).isEqualTo("acme");
        assertThat(view.toString()).doesNotContain(SECRET).doesNotContain("access-token-5e1f0a");
        assertThat(conduit.server.requestCount(tokenPath)).isEqualTo(1);
        RecordedRequest sent = conduit.server.requests(tokenPath).get(0);
        assertThat(sent.basicCredentials()).isPresent();
        assertThat(sent.formParameter("scope")).contains("orders.read");
    }

    @Test
    void createWhenFieldsSetByHandThenTheyOverrideTheTemplate() {
        conduit.server.setDefault(ScriptedResponse.okToken("access-token-0b7c3d", 300));
        JsonObject request = request("keycloak", Map.of("baseUrl", "https://sso.example.com", "realm", "acme"))
                .add("tokenEndpoint", conduit.server.url("/custom/token"))
                .add("clientAuthMethod", "client_secret_post").add("scope", "a b").build();

        JsonObject view = (JsonObject) conduit.systemsResource.create(body(request.toString()),
                uri("connected-systems")).getEntity();

        assertThat(view.getString("tokenEndpoint")).isEqualTo(conduit.server.url("/custom/token"));
        assertThat(view.getString("authorizationEndpoint"))
                .isEqualTo("https://sso.example.com/realms/acme/protocol/openid-connect/auth");
        assertThat(view.getString("clientAuthMethod")).isEqualTo("client_secret_post");
        assertThat(view.getString("scope")).isEqualTo("a b");
        assertThat(conduit.server.requestCount("/custom/token")).isEqualTo(1);
        assertThat(conduit.server.lastRequest().formParameter("client_secret")).contains(SECRET);
    }

    @Test
    void createWhenTemplateUnknownThenUnknownTemplateAndNothingSaved() {
        JsonObject request = request("nope", Map.of()).build();

        assertThatThrownBy(() -> conduit.systemsResource.create(body(request.toString()), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TEMPLATE);
                    assertThat(e.field()).contains("template");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void createWhenRequiredVariableMissingThenInvalidConfigurationNamingItAndNothingSaved() {
        JsonObject request = request("microsoft-entra-id", Map.of()).build();

        assertThatThrownBy(() -> conduit.systemsResource.create(body(request.toString()), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("variables.tenant");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void updateWhenSystemFromTemplateEditedByHandThenStillItsTemplateReference() {
        JsonObject request = request("google", Map.of()).build();
        conduit.systemsResource.create(body(request.toString()), uri("connected-systems"));
        JsonObject read = conduit.systemsResource.get("crm", uri("connected-systems/crm"));

        JsonObject edited = Json.createObjectBuilder(read).add("scope", "openid email").build();
        JsonObject view = conduit.systemsResource.update("crm", body(edited.toString()), uri("connected-systems/crm"));

        assertThat(view.getString("scope")).isEqualTo("openid email");
        assertThat(view.getJsonObject("template").getString("id")).isEqualTo("google");
        assertThat(view.getJsonObject("extraAuthorizationParameters").getString("access_type")).isEqualTo("offline");
    }

    @Test
    void exportWhenSystemFromTemplateThenPackageCarriesTheReferenceAndCustomizationListsTheVariables() {
        JsonObject request = request("microsoft-entra-id", Map.of("tenant", "contoso.onmicrosoft.com")).build();
        conduit.systemsResource.create(body(request.toString()), uri("connected-systems"));

        JsonObject export = conduit.transfer.export();

        JsonObject exported = export.getJsonObject("package").getJsonArray("systems").getJsonObject(0);
        assertThat(exported.getJsonObject("template")).isEqualTo(Json.createObjectBuilder()
                .add("id", "microsoft-entra-id").add("version", 1).build());
        assertThat(exported.getJsonObject("variables").getJsonObject("tenant").getString("value"))
                .isEqualTo("contoso.onmicrosoft.com");
        String customization = export.getString("customization");
        assertThat(customization).contains("from provider template microsoft-entra-id version 1")
                .contains("crm.variables.tenant=contoso.onmicrosoft.com").doesNotContain(SECRET);

        try (TestConduit target = new TestConduit()) {
            String filled = customization.replace("\ncrm.clientSecret=\n", "\ncrm.clientSecret=target-secret\n");
            target.transfer.importPackage(Json.createObjectBuilder().add("package", export.getJsonObject("package"))
                    .add("customization", filled).build());

            ConnectedSystem imported = target.systems.find("crm").orElseThrow();
            assertThat(imported.template()).contains(new dev.conduit.api.system.TemplateReference(
                    "microsoft-entra-id", 1));
            assertThat(imported.endpoints().authorization()).contains(
                    "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
        }
    }

    static Stream<Arguments> authorizationQuirks() {
        return Stream.of(
                Arguments.of("google", Map.of(), Map.of("access_type", "offline", "prompt", "consent")),
                Arguments.of("dropbox", Map.of(), Map.of("token_access_type", "offline")),
                Arguments.of("atlassian", Map.of(), Map.of("audience", "api.atlassian.com", "prompt", "consent")),
                Arguments.of("auth0", Map.of("domain", "acme.eu.auth0.com", "audience", "https://api.example.com"),
                        Map.of("audience", "https://api.example.com")),
                Arguments.of("slack", Map.of(), Map.of("user_scope", "users:read")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authorizationQuirks")
    void authorizationLinkWhenTemplateHasAuthorizationParametersThenTheLinkCarriesThem(String template,
            Map<String, String> variables, Map<String, String> expected) {
        JsonObject request = request(template, variables).add("grantType", "authorization_code").build();
        conduit.systemsResource.create(body(request.toString()), uri("connected-systems"));

        Response link = conduit.linkResource.create("crm", false, login("alice", Roles.USER),
                uri("connected-systems/crm/authorization-link"));

        Map<String, List<String>> query = RecordedRequest.decodeForm(
                URI.create(((JsonObject) link.getEntity()).getString("url")).getRawQuery());
        expected.forEach((name, value) -> assertThat(query.get(name)).as(name).containsExactly(value));
        assertThat(query.get("code_challenge_method")).containsExactly("S256");
        assertThat(conduit.server.requestCount()).isZero();
    }

    static Stream<Arguments> tokenResponses() {
        return Stream.of(
                Arguments.of("github", "github-token.json", "gho_16C7e42F292c6912E7710c838347Ae178B4a"),
                Arguments.of("slack", "slack-token.json", "xoxp-1234"),
                Arguments.of("salesforce", "salesforce-token.json",
                        "00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoWr78nt1u44zU31IbYNNJguseu"),
                Arguments.of("dropbox", "dropbox-token.json",
                        "sl.u.AbX9y6Fe3AuH5o66-gmJpR032jwAwQPIVVzWXZNkdzcYT02akC2de219dZi6gxYPVnYPrpvISRSf9lxKWJzYLjtMPH-d9fo_0gXex7X37VIvpty4-G8f4-WX45AcEPfRnJJDwzv-"),
                Arguments.of("zoom", "zoom-token.json",
                        "eyJhbGciOiJIUzUxMiIsInYiOiIyLjAiLCJraWQiOiI8S0lEPiJ9.eyJ2ZXIiOiI2IiwiY2xpZW50SWQiOiI8Q2xpZW50X0lEPiJ9.sig"),
                Arguments.of("hubspot", "hubspot-token.json",
                        "CIrToaiiMhIHAAEAQAAAARiO1ooBIOP0sgEokuLtATIUNh-dpbnJ6Kt6x6BFwobXmXHkWiI6SwAAAEAAAAAAAAAAAAAAAAAAgAAAAAAAAAAAAAAQ"),
                Arguments.of("atlassian", "atlassian-token.json",
                        "eyJraWQiOiJhdXRoLmF0bGFzc2lhbi5jb20tQUNDRVNTLTk0ZTczYTkwLTUxYWQtNGFjMS1hOWFjLWU4NGUwNDVjNDU3ZCIsImFsZyI6IlJTMjU2In0.e30.sig"),
                Arguments.of("microsoft-entra-id", "microsoft-entra-id-token.json",
                        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Ik1uQ19WWmNBVGZNNXBP.e30.sig"),
                Arguments.of("google", "google-token.json", "1/fFAGRNJru1FTz70BzhT3Zg"),
                Arguments.of("auth0", "auth0-token.json", "eyJz93a.k4laUWw.sig"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenResponses")
    void requestTokenWhenProviderAnswersItsDocumentedShapeThenTheTokenIsExtracted(String template, String fixture,
            String expectedToken) {
        conduit.server.enqueue(ScriptedResponse.fixture(200, "providers/" + fixture));
        ConnectedSystem system = fromTemplateOnTestServer(template);

        TokenSet tokens = endpoints.forSystem(system).requestToken(codeExchange());

        assertThat(tokens.accessToken().reveal()).isEqualTo(expectedToken);
        assertThat(tokens.tokenType()).isEqualTo("Bearer");
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void requestTokenWhenGitHubAnswersFormEncodedUnlessAskedForJsonThenConduitAsksForJson() {
        // GitHub's documented behaviour: form-encoded by default, JSON with Accept: application/json
        ScriptedResponse json = ScriptedResponse.fixture(200, "providers/github-token.json");
        ScriptedResponse form = ScriptedResponse.fixture(200, "providers/github-token.form")
                .withHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        conduit.server.handle(r -> r.header("Accept").filter(a -> a.contains("application/json")).isPresent()
                ? json : form);
        ConnectedSystem system = fromTemplateOnTestServer("github");

        TokenSet tokens = endpoints.forSystem(system).requestToken(codeExchange());

        assertThat(tokens.accessToken().reveal()).isEqualTo("gho_16C7e42F292c6912E7710c838347Ae178B4a");
        assertThat(tokens.scope().toString()).isEqualTo("repo,gist");
        assertThat(tokens.expiresAt()).isEqualTo(tokens.issuedAt().plus(Duration.ofDays(365)));
        RecordedRequest sent = conduit.server.lastRequest();
        assertThat(sent.headers().get("Accept")).containsExactly("application/json");
        assertThat(sent.formParameter("client_secret")).contains(SECRET);
        assertThat(conduit.server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenSlackAnswersWithBotAndUserTokensThenTheUserTokenAndItsScope() {
        conduit.server.enqueue(ScriptedResponse.fixture(200, "providers/slack-token.json"));

        TokenSet tokens = endpoints.forSystem(fromTemplateOnTestServer("slack")).requestToken(codeExchange());

        assertThat(tokens.accessToken().reveal()).isEqualTo("xoxp-1234");
        assertThat(tokens.scope().toString()).isEqualTo("chat:write");
        assertThat(conduit.server.lastRequest().basicCredentials()).isPresent();
    }

    @Test
    void requestTokenWhenSlackAnswersOkFalseThenTheProvidersErrorAfterOneRequest() {
        conduit.server.enqueue(ScriptedResponse.fixture(200, "providers/slack-error.json"));
        ConnectedSystem system = fromTemplateOnTestServer("slack");

        assertThatThrownBy(() -> endpoints.forSystem(system).requestToken(codeExchange()))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_ENDPOINT_ERROR);
                    assertThat(e.getMessage()).contains("invalid_code");
                });
        assertThat(conduit.server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenSalesforceAnswersWithoutExpiresInThenTwoHoursAssumed() {
        conduit.server.enqueue(ScriptedResponse.fixture(200, "providers/salesforce-token.json"));

        TokenSet tokens = endpoints.forSystem(fromTemplateOnTestServer("salesforce"))
                .requestToken(codeExchange());

        assertThat(tokens.expiresAt()).isEqualTo(tokens.issuedAt().plus(Duration.ofHours(2)));
    }

    @Test
    void requestTokenWhenAtlassianThenTheBodyIsJson() {
        conduit.server.enqueue(ScriptedResponse.fixture(200, "providers/atlassian-token.json"));

        TokenSet tokens = endpoints.forSystem(fromTemplateOnTestServer("atlassian"))
                .requestToken(codeExchange());

        assertThat(tokens.refreshToken()).isNotNull();
        RecordedRequest sent = conduit.server.lastRequest();
        assertThat(sent.header("Content-Type")).contains("application/json");
        assertThat(TestConduit.json(sent.bodyText()).getString("grant_type")).isEqualTo("authorization_code");
        assertThat(TestConduit.json(sent.bodyText()).getString("client_secret")).isEqualTo(SECRET);
    }

    @Test
    void requestTokenWhenAuth0ClientCredentialsThenTheAudienceIsSent() {
        conduit.server.enqueue(ScriptedResponse.fixture(200, "providers/auth0-token.json"));

        endpoints.forSystem(fromTemplateOnTestServer("auth0"))
                .requestToken(Map.of("grant_type", "client_credentials"));

        assertThat(conduit.server.lastRequest().formParameter("audience")).contains("https://api.example.com");
    }

    /** A system from the template with its example variables, its token endpoint moved to the test server. */
    private ConnectedSystem fromTemplateOnTestServer(String id) {
        ProviderTemplate template = conduit.templates.get(id);
        JsonObject request = request(id, examples(template)).add("tokenEndpoint", conduit.server.url("/token"))
                .build();
        return SystemJson.read(TemplateRequest.expand(request, conduit.templates), null, Optional.empty());
    }

    private void scriptMetadata(String issuer) {
        conduit.server.path("/.well-known/oauth-authorization-server/idp").setDefault(ScriptedResponse.json(200, """
                {"issuer": "%s", "token_endpoint": "%s", "authorization_endpoint": "%s",
                 "token_endpoint_auth_methods_supported": ["client_secret_post"]}
                """.formatted(issuer, issuer + "/token", issuer + "/authorize")));
    }

    private static Map<String, String> codeExchange() {
        return Map.of("grant_type", "authorization_code", "code", "c0de-4f1a", "redirect_uri",
                TestConduit.REDIRECT_URI);
    }

    private static JsonObjectBuilder request(String template, Map<String, String> variables) {
        return Json.createObjectBuilder().add("name", "crm").add("template", template)
                .add("variables", Json.createObjectBuilder(Map.copyOf(variables)))
                .add("clientId", TestSystems.CLIENT_ID).add("clientSecret", SECRET);
    }

    private static Map<String, String> examples(ProviderTemplate template) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        template.variables().forEach(v -> values.put(v.name(), v.example()));
        return values;
    }

}
