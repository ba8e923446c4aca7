package dev.conduit.web.system;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.login;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.Roles;
import dev.conduit.web.TestConduit;
import dev.conduit.web.problem.ConduitExceptionMapper;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connected systems declared under {@code conduit.systems.<name>.*}, seen through the REST API. */
class DeclaredSystemsTest {

    private static final String ENV_SECRET = "secret-from-environment-41c7";

    private final TestConduit conduit = new TestConduit();
    private final ConnectedSystemsResource resource = conduit.systemsResource;

    @BeforeEach
    void declareOrders() {
        conduit.configuration.put("conduit.systems.orders.grant-type", "client_credentials");
        conduit.configuration.put("conduit.systems.orders.token-endpoint", conduit.server.url("/token"));
        conduit.configuration.put("conduit.systems.orders.integration-base-url", conduit.server.url("/api"));
        conduit.configuration.put("conduit.systems.orders.client-id", TestSystems.CLIENT_ID);
        // what MP Config hands over once ${ORDERS_CLIENT_SECRET} is resolved from the environment
        conduit.configuration.put("conduit.systems.orders.client-secret", ENV_SECRET);
        conduit.configuration.put("conduit.systems.orders.scope", "orders.read");
    }

    @AfterEach
    void close() {
        conduit.close();
    }

    @Test
    void getWhenSystemDeclaredInConfigurationThenSourceConfigurationReadOnlyAndSecretHidden() {
        conduit.server.enqueue(ScriptedResponse.okToken("t-1", 3600));
        resource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));

        JsonObject orders = resource.get("orders", uri("connected-systems/orders"));

        assertThat(orders.getString("source")).isEqualTo("configuration");
        assertThat(orders.getBoolean("readOnly")).isTrue();
        assertThat(orders.getBoolean("clientSecretSet")).isTrue();
        assertThat(orders.getString("scope")).isEqualTo("orders.read");
        assertThat(orders.toString()).doesNotContain(ENV_SECRET);
        assertThat(resource.list(uri("connected-systems"))).extracting(
                v -> v.asJsonObject().getString("name") + ":" + v.asJsonObject().getString("source"))
                .containsExactly("crm:database", "orders:configuration");
    }

    @Test
    void updateWhenSystemDeclaredInConfigurationThen409NamingPropertyAndNothingStored() {
        String json = conduit.clientCredentialsJson("orders");

        assertThatThrownBy(() -> resource.update("orders", body(json), uri("connected-systems/orders")))
                .isInstanceOfSatisfying(ConduitException.class, readOnly("orders"));
        // refused before the body is even read: a malformed body still gets the 409 that says where to change it
        assertThatThrownBy(() -> resource.update("orders", body("{not json"), uri("connected-systems/orders")))
                .isInstanceOfSatisfying(ConduitException.class, readOnly("orders"));
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void deleteWhenSystemDeclaredInConfigurationThen409AndStillServed() {
        assertThatThrownBy(() -> resource.delete("orders")).isInstanceOfSatisfying(ConduitException.class,
                readOnly("orders"));

        assertThat(resource.get("orders", uri("connected-systems/orders")).getString("name")).isEqualTo("orders");
    }

    @Test
    void createWhenNameDeclaredInConfigurationThen409AndNoTokenRequest() {
        assertThatThrownBy(() -> resource.create(body(conduit.clientCredentialsJson("orders")),
                uri("connected-systems"))).isInstanceOfSatisfying(ConduitException.class, readOnly("orders"));

        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount()).isZero();
    }

    @Test
    void readOnlyProblemWhenMappedThen409WithPropertyField() {
        ConduitException refused = catchConduit(() -> resource.delete("orders"));

        Response response = new ConduitExceptionMapper().toResponse(refused);

        assertThat(response.getStatus()).isEqualTo(409);
        JsonObject problem = TestConduit.json((String) response.getEntity());
        assertThat(problem.getString("code")).isEqualTo("READ_ONLY_SYSTEM");
        assertThat(problem.getString("field")).isEqualTo("conduit.systems.orders.*");
        assertThat(problem.getString("detail")).contains("CONDUIT_SYSTEMS_ORDERS_CLIENT_ID");
    }

    @Test
    void testWhenSecretReferenceChangesThenNextTokenRequestUsesNewValueWithoutRestart() {
        conduit.server.setDefault(ScriptedResponse.okToken("t-2", 3600));

        JsonObject first = resource.test("orders", login("admin", Roles.ADMIN), uri("connected-systems/orders/test"));
        conduit.configuration.put("conduit.systems.orders.client-secret", "rotated-secret-93b0");
        JsonObject second = resource.test("orders", login("admin", Roles.ADMIN), uri("connected-systems/orders/test"));

        assertThat(first.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(second.getJsonObject("tokenTest").getBoolean("ok")).isTrue();
        assertThat(conduit.server.requests("/token")).hasSize(2).extracting(
                r -> r.basicCredentials().orElseThrow().clientSecret())
                .containsExactly(ENV_SECRET, "rotated-secret-93b0");
        assertThat(conduit.systems.findAll()).isEmpty();
    }

    @Test
    void testWhenDeclaredSystemFailsThenErrorStatusKeptInMemoryAndShown() {
        conduit.server.enqueue(ScriptedResponse.oauthError(401, "invalid_client", "bad secret"));

        JsonObject test = resource.test("orders", login("admin", Roles.ADMIN), uri("connected-systems/orders/test"));

        assertThat(test.getJsonObject("tokenTest").getString("code")).isEqualTo("INVALID_CLIENT");
        JsonObject read = resource.get("orders", uri("connected-systems/orders"));
        assertThat(read.getString("status")).isEqualTo("ERROR");
        assertThat(read.getString("errorCode")).isEqualTo("INVALID_CLIENT");
        assertThat(conduit.server.requestCount("/token")).isEqualTo(1);
    }

    @Test
    void exportWhenSystemDeclaredInConfigurationThenLeftOutAndListedAsNotExported() {
        conduit.server.setDefault(ScriptedResponse.okToken("t-3", 3600));
        resource.create(body(conduit.clientCredentialsJson("crm")), uri("connected-systems"));

        JsonObject export = (JsonObject) conduit.transferResource.export(null).getEntity();

        assertThat(export.getJsonObject("package").getJsonArray("systems")).extracting(
                v -> v.asJsonObject().getString("name")).containsExactly("crm");
        assertThat(export.getString("customization")).doesNotContain("orders.");
        JsonObject skipped = export.getJsonArray("notExported").getJsonObject(0);
        assertThat(skipped.getString("name")).isEqualTo("orders");
        assertThat(skipped.getString("reason")).contains("conduit.systems.orders.*");
        assertThat(export.toString()).doesNotContain(ENV_SECRET);
    }

    @Test
    void importWhenPackageHoldsDeclaredNameThen409AndNothingImported() {
        conduit.server.setDefault(ScriptedResponse.okToken("t-4", 3600));
        JsonObject crm = SystemJson.writeForExport(
                SystemJson.read(TestConduit.json(conduit.clientCredentialsJson("crm")), null, Optional.empty()));
        JsonObject orders = Json.createObjectBuilder(crm).add("name", "orders").build();
        JsonObject request = Json.createObjectBuilder()
                .add("package", Json.createObjectBuilder().add("systems", Json.createArrayBuilder().add(crm).add(orders)))
                .add("customization", Json.createObjectBuilder().add("crm.clientSecret", "s-1").add("orders.clientSecret", "s-2"))
                .build();

        assertThatThrownBy(() -> conduit.transfer.importPackage(request))
                .isInstanceOfSatisfying(ConduitException.class, readOnly("orders"));
        assertThat(conduit.systems.findAll()).isEmpty();
        assertThat(conduit.server.requestCount()).isZero();
    }

    private static Consumer<ConduitException> readOnly(String name) {
        return e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.READ_ONLY_SYSTEM);
            assertThat(e.code().httpStatus()).isEqualTo(409);
            assertThat(e.field()).contains("conduit.systems." + name + ".*");
            assertThat(e.getMessage()).contains("conduit.systems." + name + ".client-id");
        };
    }

    private static ConduitException catchConduit(Runnable action) {
        try {
            action.run();
        } catch (ConduitException e) {
            return e;
        }
        throw new AssertionError("expected a ConduitException");
    }
}
