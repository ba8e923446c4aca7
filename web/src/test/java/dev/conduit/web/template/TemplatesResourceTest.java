package dev.conduit.web.template;

import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.web.TestConduit;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TemplatesResourceTest {

    private final TestConduit conduit = new TestConduit();

    @AfterEach
    void close() {
        conduit.close();
    }

    @Test
    void listWhenBuiltInCatalogThenEveryTemplateWithItsGrantTypesAndNoProblem() {
        JsonObject list = conduit.templatesResource.list();

        assertThat(list.getJsonArray("templates")).hasSize(15);
        assertThat(list.getJsonArray("problems")).isEmpty();
        JsonObject keycloak = list.getJsonArray("templates").stream().map(JsonValue::asJsonObject)
                .filter(t -> t.getString("id").equals("keycloak")).findFirst().orElseThrow();
        assertThat(keycloak.getString("displayName")).isEqualTo("Keycloak");
        assertThat(keycloak.getInt("version")).isEqualTo(1);
        assertThat(keycloak.getString("documentationUrl")).startsWith("https://www.keycloak.org/");
        assertThat(keycloak.getJsonArray("grantTypes").getString(0)).isEqualTo("client_credentials");
    }

    @Test
    void getWhenKeycloakThenVariablesToAskForAndTheRedirectUriToRegister() {
        JsonObject keycloak = conduit.templatesResource.get("keycloak", uri("templates/keycloak"));

        assertThat(keycloak.getJsonArray("variables")).extracting(v -> v.asJsonObject().getString("name"))
                .containsExactly("baseUrl", "realm");
        JsonObject realm = keycloak.getJsonArray("variables").getJsonObject(1);
        assertThat(realm.getString("label")).isEqualTo("Realm");
        assertThat(realm.getBoolean("required")).isTrue();
        assertThat(realm.getBoolean("secret")).isFalse();
        assertThat(realm.getString("example")).isEqualTo("acme");
        assertThat(keycloak.getJsonObject("endpoints").getString("tokenEndpoint"))
                .isEqualTo("${baseUrl}/realms/${realm}/protocol/openid-connect/token");
        assertThat(keycloak.getJsonObject("defaultScope").getString("authorization_code")).isEqualTo("openid");
        assertThat(keycloak.getString("redirectUri")).isEqualTo(TestConduit.REDIRECT_URI);
        assertThat(keycloak.getJsonArray("notes")).isNotEmpty();
    }

    @Test
    void getWhenSlackThenItsQuirksShown() {
        JsonObject quirks = conduit.templatesResource.get("slack", uri("templates/slack")).getJsonObject("quirks");

        assertThat(quirks.getString("tokenResponseKey")).isEqualTo("authed_user.access_token");
        assertThat(quirks.getJsonObject("extraAuthorizationParameters").getString("user_scope"))
                .isEqualTo("${userScope}");
    }

    @Test
    void getWhenUnknownIdThenUnknownTemplate() {
        assertThatThrownBy(() -> conduit.templatesResource.get("nope", uri("templates/nope")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TEMPLATE);
                    assertThat(e.code().httpStatus()).isEqualTo(404);
                });
    }
}
