package dev.conduit.web.system;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.TestConduit;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Saving a system with an issuer fills what the issuer's metadata says (RFC 8414, OIDC Discovery). */
class DiscoveryOnSaveTest {

    private static final String RFC8414 = "/.well-known/oauth-authorization-server/realms/acme";
    private static final String OIDC = "/realms/acme/.well-known/openid-configuration";

    private final TestConduit conduit = new TestConduit();
    private final ConnectedSystemsResource resource = conduit.systemsResource;
    private final String issuer = conduit.server.url("/realms/acme");

    @AfterEach
    void close() {
        conduit.close();
    }

    private String metadata(String declaredIssuer, String authMethods) {
        return """
                {"issuer":"%s","token_endpoint":"%s","authorization_endpoint":"%s",
                 "revocation_endpoint":"%s","introspection_endpoint":"%s",
                 "token_endpoint_auth_methods_supported":[%s],
                 "authorization_response_iss_parameter_supported":true,
                 "code_challenge_methods_supported":["S256"]}
                """.formatted(declaredIssuer, conduit.server.url("/token"), conduit.server.url("/authorize"),
                conduit.server.url("/revoke"), conduit.server.url("/introspect"), authMethods);
    }

    private String systemJson(String name, String grantType, String extra) {
        return """
                {"name": "%s", "grantType": "%s", "issuer": "%s", "clientId": "%s", "clientSecret": "%s",
                 "integrationBaseUrl": "%s", "scope": "openid" %s}
                """.formatted(name, grantType, issuer, TestSystems.CLIENT_ID, TestSystems.CLIENT_SECRET,
                conduit.server.url("/api"), extra);
    }

    private JsonObject create(String json) {
        Response response = resource.create(body(json), uri("connected-systems"));
        assertThat(response.getStatus()).isEqualTo(201);
        return (JsonObject) response.getEntity();
    }

    @Test
    void createWhenIssuerWithoutEndpointsThenEndpointsAndIssFlagFromRfc8414Metadata() {
        conduit.server.path(RFC8414).enqueue(ScriptedResponse.json(200, metadata(issuer,
                "\"client_secret_basic\",\"private_key_jwt\"")));

        JsonObject view = create(systemJson("calendar", "authorization_code", ""));

        assertThat(view.getString("tokenEndpoint")).isEqualTo(conduit.server.url("/token"));
        assertThat(view.getString("authorizationEndpoint")).isEqualTo(conduit.server.url("/authorize"));
        assertThat(view.getString("revocationEndpoint")).isEqualTo(conduit.server.url("/revoke"));
        assertThat(view.getString("introspectionEndpoint")).isEqualTo(conduit.server.url("/introspect"));
        assertThat(view.getBoolean("issuerParameterSupported")).isTrue();
        assertThat(view.getString("clientAuthMethod")).isEqualTo("client_secret_basic");
        assertThat(conduit.systems.find("calendar").orElseThrow().endpoints().issuer()).contains(issuer);
        assertThat(conduit.server.requestCount(RFC8414)).isEqualTo(1);
        assertThat(conduit.server.requestCount()).isEqualTo(1);
    }

    @Test
    void createWhenOnlyOidcDiscoveryAndOnlyPostSupportedThenPostChosenAndTokenTestUsesIt() {
        conduit.server.path(RFC8414).enqueue(ScriptedResponse.status(404));
        conduit.server.path(OIDC).enqueue(ScriptedResponse.json(200, metadata(issuer, "\"client_secret_post\"")));
        conduit.server.path("/token").enqueue(ScriptedResponse.okToken("t-1", 3600));

        JsonObject view = create(systemJson("crm", "client_credentials", ""));

        assertThat(view.getString("clientAuthMethod")).isEqualTo("client_secret_post");
        assertThat(view.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(conduit.server.requestCount(OIDC)).isEqualTo(1);
        assertThat(conduit.server.requests("/token")).singleElement().satisfies(r -> {
            assertThat(r.formParameter("client_secret")).contains(TestSystems.CLIENT_SECRET);
            assertThat(r.header("Authorization")).isEmpty();
        });
    }

    @Test
    void createWhenMetadataNamesAnotherIssuerThenIssuerMismatchAndNothingSaved() {
        conduit.server.path(RFC8414).enqueue(ScriptedResponse.json(200, metadata(issuer + "/", "\"client_secret_basic\"")));

        assertThatThrownBy(() -> resource.create(body(systemJson("crm", "client_credentials", "")),
                uri("connected-systems"))).isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
                    assertThat(e.field()).contains("issuer");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount("/token")).isZero();
    }

    @Test
    void createWhenGivenAuthMethodUnsupportedThenRefusedNamingClientAuthMethod() {
        conduit.server.path(RFC8414).enqueue(ScriptedResponse.json(200, metadata(issuer, "\"client_secret_basic\"")));
        String json = systemJson("crm", "client_credentials", ", \"clientAuthMethod\": \"client_secret_post\"");

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("clientAuthMethod");
                    assertThat(e.getMessage()).contains("client_secret_basic");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
    }

    @Test
    void createWhenDiscoverFlagAndEndpointGivenThenGivenOneWinsAndRestFilled() {
        conduit.server.path(RFC8414).enqueue(ScriptedResponse.json(200, metadata(issuer, "\"client_secret_basic\"")));
        String json = systemJson("calendar", "authorization_code", ", \"discover\": true, \"authorizationEndpoint\": \""
                + conduit.server.url("/custom-authorize") + "\"");

        JsonObject view = create(json);

        assertThat(view.getString("authorizationEndpoint")).isEqualTo(conduit.server.url("/custom-authorize"));
        assertThat(view.getString("tokenEndpoint")).isEqualTo(conduit.server.url("/token"));
        assertThat(view.containsKey("discover")).isFalse();
    }

    @Test
    void updateWhenDiscoverThenMetadataReadAgainAndStoredSecretKept() {
        conduit.server.path(RFC8414).enqueue(
                ScriptedResponse.json(200, metadata(issuer, "\"client_secret_basic\"")),
                ScriptedResponse.json(200, metadata(issuer, "\"client_secret_basic\"")));
        create(systemJson("calendar", "authorization_code", ""));
        String edit = """
                {"grantType": "authorization_code", "issuer": "%s", "clientId": "%s", "discover": true}
                """.formatted(issuer, TestSystems.CLIENT_ID);

        JsonObject view = resource.update("calendar", body(edit), uri("connected-systems/calendar"));

        ConnectedSystem stored = conduit.systems.find("calendar").orElseThrow();
        // the same endpoints and method: the stored secret still goes only where it was entered for
        assertThat(view.getString("clientAuthMethod")).isEqualTo("client_secret_basic");
        assertThat(stored.client().method()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(stored.client().secret().orElseThrow().reveal()).isEqualTo(TestSystems.CLIENT_SECRET);
        assertThat(conduit.server.requestCount(RFC8414)).isEqualTo(2);
    }

    @Test
    void createWhenDiscoverWithoutIssuerThenRefusedNamingIssuerAndNoRequest() {
        String json = conduit.clientCredentialsJson("crm").replaceFirst("\\{", "{\"discover\": true, ");

        assertThatThrownBy(() -> resource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("issuer");
                });
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void createWhenNoMetadataAnywhereThenDiscoveryFailedNamingIssuer() {
        assertThatThrownBy(() -> resource.create(body(systemJson("crm", "client_credentials", "")),
                uri("connected-systems"))).isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DISCOVERY_FAILED);
                    assertThat(e.field()).contains("issuer");
                });
        assertThat(conduit.server.requestCount(RFC8414)).isEqualTo(1);
        assertThat(conduit.server.requestCount(OIDC)).isEqualTo(1);
        assertThat(conduit.systems.findAll()).isEmpty();
    }
}
