package dev.conduit.web.system;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.web.TestConduit;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The renewal window and the integration call deadline, set per system (renewalWindowSeconds, callDeadlineSeconds),
 * pass through every representation the field description drives: REST, the schema, configuration keys. Left out, the
 * server's settings apply.
 */
class PerSystemLimitsTest {

    private final TestConduit conduit = new TestConduit();

    @BeforeEach
    void setUp() {
        conduit.server.setDefault(ScriptedResponse.okToken("t-5d1e", 3600));
    }

    @AfterEach
    void close() {
        conduit.close();
    }

    private String withLimits(String renewalWindow, String callDeadline) {
        return conduit.clientCredentialsJson("crm").replaceFirst("\\{", "{\"renewalWindowSeconds\": " + renewalWindow
                + ", \"callDeadlineSeconds\": " + callDeadline + ",");
    }

    @Test
    void createWhenLimitsGivenThenStoredAndShownAndLeftOutMeansTheServersSetting() {
        JsonObject created = (JsonObject) conduit.systemsResource.create(body(withLimits("90", "12")),
                uri("connected-systems")).getEntity();

        assertThat(created.getInt("renewalWindowSeconds")).isEqualTo(90);
        assertThat(created.getInt("callDeadlineSeconds")).isEqualTo(12);
        ConnectedSystem stored = conduit.systems.find("crm").orElseThrow();
        assertThat(stored.lifecycle().renewalWindow()).contains(Duration.ofSeconds(90));
        assertThat(stored.integration().callDeadline()).contains(Duration.ofSeconds(12));
        assertThat(conduit.tokenService.renewalWindow(stored)).isEqualTo(Duration.ofSeconds(90));

        JsonObject edited = conduit.systemsResource.update("crm", body(conduit.clientCredentialsJson("crm")),
                uri("connected-systems/crm"));

        assertThat(edited.containsKey("renewalWindowSeconds")).isFalse();
        assertThat(edited.containsKey("callDeadlineSeconds")).isFalse();
        ConnectedSystem defaults = conduit.systems.find("crm").orElseThrow();
        assertThat(defaults.lifecycle().renewalWindow()).isEmpty();
        assertThat(conduit.tokenService.renewalWindow(defaults)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void createWhenDeadlineOutOfRangeThenInvalidRequestNamingItAndNothingStored() {
        assertThatThrownBy(() -> conduit.systemsResource.create(body(withLimits("30", "601")), uri("connected-systems")))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    // as every number out of its range: the request itself is malformed
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("callDeadlineSeconds");
                    assertThat(e.getMessage()).contains("between 1 and 600");
                });
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void schemaWhenReadThenBothFieldsDescribedWithoutAFixedDefault() {
        Map<String, JsonObject> fields = new LinkedHashMap<>();
        for (JsonValue group : conduit.systemsResource.schema().getJsonArray("groups")) {
            for (JsonValue field : group.asJsonObject().getJsonArray("fields")) {
                fields.put(field.asJsonObject().getString("name"), field.asJsonObject());
            }
        }

        assertThat(fields.get("renewalWindowSeconds").getString("type")).isEqualTo("duration");
        assertThat(fields.get("renewalWindowSeconds").getString("help")).contains("conduit.tokens.renewal-window-seconds");
        assertThat(fields.get("callDeadlineSeconds").getString("type")).isEqualTo("duration");
        assertThat(fields.get("callDeadlineSeconds").getString("help")).contains("conduit.integration.deadline-seconds");
    }

    @Test
    void declaredWhenConfigurationKeysSetThenTheSystemHasTheLimits() {
        conduit.configuration.put("conduit.systems.orders.grant-type", "client_credentials");
        conduit.configuration.put("conduit.systems.orders.token-endpoint", conduit.server.url("/token"));
        conduit.configuration.put("conduit.systems.orders.client-id", "orders-client");
        conduit.configuration.put("conduit.systems.orders.renewal-window", "PT2M");
        conduit.configuration.put("conduit.systems.orders.call-deadline", "5");

        ConnectedSystem declared = conduit.allSystems.get("orders");

        assertThat(declared.lifecycle().renewalWindow()).contains(Duration.ofMinutes(2));
        assertThat(declared.integration().callDeadline()).contains(Duration.ofSeconds(5));
    }
}
