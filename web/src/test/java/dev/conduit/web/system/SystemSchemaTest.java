package dev.conduit.web.system;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.web.TestConduit;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemSchemaTest {

    private final TestConduit conduit = new TestConduit();

    @AfterEach
    void close() {
        conduit.close();
    }

    private Map<String, JsonObject> fieldsByName() {
        Map<String, JsonObject> fields = new LinkedHashMap<>();
        for (JsonValue group : conduit.systemsResource.schema().getJsonArray("groups")) {
            for (JsonValue field : group.asJsonObject().getJsonArray("fields")) {
                JsonObject f = field.asJsonObject();
                assertThat(fields.put(f.getString("name"), f)).as("described twice: " + f.getString("name")).isNull();
            }
        }
        return fields;
    }

    @Test
    void schemaWhenReadThenEveryConfigurationMemberDescribedOnce() {
        Set<String> described = new TreeSet<>();
        fieldsByName().keySet().forEach(name -> described.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name));

        Set<String> accepted = new TreeSet<>(SystemJson.CONFIGURATION);
        accepted.remove("version");
        assertThat(described).isEqualTo(accepted);
    }

    @Test
    void schemaWhenReadThenGroupsInFormOrderWithLabels() {
        List<String> groups = new ArrayList<>();
        for (JsonValue group : conduit.systemsResource.schema().getJsonArray("groups")) {
            groups.add(group.asJsonObject().getString("name"));
            assertThat(group.asJsonObject().getString("label")).isNotBlank();
            assertThat(group.asJsonObject().getJsonArray("fields")).isNotEmpty();
        }
        assertThat(groups).containsExactly("system", "endpoints", "client", "tokenRequest", "lifecycle", "integration",
                "variables");
    }

    @Test
    void schemaWhenReadThenFieldsCarryTypeRequiredSecretGrantTypesAndDefaults() {
        Map<String, JsonObject> fields = fieldsByName();

        JsonObject token = fields.get("tokenEndpoint");
        assertThat(token.getString("type")).isEqualTo("url");
        assertThat(token.getBoolean("required")).isTrue();
        assertThat(token.getBoolean("secret")).isFalse();
        assertThat(token.get("grantTypes")).isEqualTo(JsonValue.NULL);
        assertThat(token.getString("label")).isEqualTo("Token endpoint");
        assertThat(token.getString("help")).isNotBlank();
        assertThat(token.get("default")).isEqualTo(JsonValue.NULL);
        assertThat(token.get("values")).isEqualTo(JsonValue.NULL);

        JsonObject secret = fields.get("clientSecret");
        assertThat(secret.getString("type")).isEqualTo("secret");
        assertThat(secret.getBoolean("secret")).isTrue();

        assertThat(fields.get("authorizationEndpoint").getJsonArray("grantTypes").getValuesAs(JsonString::getString))
                .containsExactly("authorization_code");
        assertThat(fields.get("clientAuthMethod").getJsonArray("values").getValuesAs(JsonString::getString))
                .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt");
        assertThat(fields.get("clientAuthMethod").getString("default")).isEqualTo("client_secret_basic");
        assertThat(fields.get("retryPolicy.maxAttempts").getString("type")).isEqualTo("integer");
        assertThat(fields.get("retryPolicy.maxAttempts").getJsonNumber("default").intValue()).isEqualTo(3);
        assertThat(fields.get("refreshAheadSeconds").getString("type")).isEqualTo("duration");
        assertThat(fields.get("includeScope").getBoolean("default")).isTrue();
        assertThat(fields.get("tokenRejectedStatuses").getJsonArray("default").toString()).isEqualTo("[401,403,404]");
    }

    @Test
    void schemaWhenReadThenGrantTypeValuesAreTheInstalledGrants() {
        JsonObject grantType = fieldsByName().get("grantType");

        assertThat(grantType.getString("type")).isEqualTo("enum");
        assertThat(grantType.getJsonArray("values").getValuesAs(JsonString::getString))
                .containsAll(List.of("authorization_code", "client_credentials"))
                .containsExactlyInAnyOrderElementsOf(conduit.grants.types());
    }

    @Test
    void createWhenNameIsSchemaThenRefusedAsReservedAndNothingStored() {
        String json = conduit.clientCredentialsJson("schema");

        assertThatThrownBy(() -> conduit.systemsResource.create(body(json), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("name");
                    assertThat(e.getMessage()).contains("reserved");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount("/token")).isZero();
    }
}
