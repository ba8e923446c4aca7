package dev.conduit.web.transfer;

import static dev.conduit.web.TestConduit.body;
import static dev.conduit.web.TestConduit.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.TestConduit;
import dev.conduit.web.problem.ProblemException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SystemTransferTest {

    private static final String VARIABLES = """
            {"variables": {"tenant": {"value": "acme"}, "apiKey": {"secret": true, "value": "api-key-5c1e88"}},
            """;

    private final TestConduit source = new TestConduit();
    private final TestConduit target = new TestConduit();

    @BeforeEach
    void setUp() {
        source.server.setDefault(ScriptedResponse.okToken("t", 3600));
        target.server.setDefault(ScriptedResponse.okToken("t", 3600));
        source.systemsResource.create(body(source.clientCredentialsJson("crm").replaceFirst("\\{", VARIABLES)),
                uri("connected-systems"));
        source.systemsResource.create(body(source.authorizationCodeJson("calendar")), uri("connected-systems"));
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private JsonObject export() {
        Response response = source.transferResource.export(null);
        return (JsonObject) response.getEntity();
    }

    /** The export's customization file with {@code values} filled in, as an administrator edits it. */
    private static String fill(JsonObject export, Map<String, String> values) {
        String text = export.getString("customization");
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace("\n" + e.getKey() + "=\n", "\n" + e.getKey() + "=" + e.getValue() + "\n");
        }
        return text;
    }

    private static JsonObject request(JsonObject export, String customization) {
        return Json.createObjectBuilder().add("package", export.getJsonObject("package"))
                .add("customization", customization).build();
    }

    @Test
    void exportWhenSystemsHoldSecretsThenPackageHasNoneAndCustomizationAsksForEach() {
        JsonObject export = export();

        assertThat(export.getString("format")).isEqualTo(SystemTransfer.FORMAT);
        assertThat(export.toString()).doesNotContain(TestSystems.CLIENT_SECRET).doesNotContain("api-key-5c1e88")
                .doesNotContain("\"status\"").doesNotContain("\"version\"");
        String customization = export.getString("customization");
        assertThat(customization).contains("\ncrm.clientSecret=\n").contains("\ncrm.variables.apiKey=\n")
                .contains("\ncalendar.clientSecret=\n").contains("crm.variables.tenant=acme")
                .contains("crm.clientId=" + TestSystems.CLIENT_ID).contains("crm.scope=read write")
                .contains("# REQUIRED: the client secret of crm");
        assertThat(Customization.parse(customization)).containsEntry("crm.tokenEndpoint",
                source.server.url("/token"));
    }

    @Test
    void importWhenSecretsLeftEmptyThenEveryMissingKeyListedAndNothingImported() {
        JsonObject export = export();
        String customization = fill(export, Map.of("crm.clientSecret", "s1"));

        assertThatThrownBy(() -> target.transfer.importPackage(request(export, customization)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().code()).isEqualTo(ErrorCode.MISSING_IMPORT_VALUES);
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().extensions().get("missingKeys").asJsonArray())
                            .extracting(v -> ((JsonString) v).getString())
                            .containsExactlyInAnyOrder("crm.variables.apiKey", "calendar.clientSecret");
                });
        assertThat(target.systems.findAll()).isEmpty();
        assertThat(target.server.requestCount()).isZero();
    }

    @Test
    void importWhenCustomizedForTheTargetThenSystemsCreatedWithItsValuesAndSecrets() {
        JsonObject export = export();
        String customization = fill(export, Map.of("crm.clientSecret", "target-secret", "crm.variables.apiKey",
                "target-key", "calendar.clientSecret", "calendar-secret"))
                .replace(source.server.url("/token"), target.server.url("/token"))
                .replace("crm.variables.tenant=acme", "crm.variables.tenant=globex");

        var imported = target.transfer.importPackage(request(export, customization));

        assertThat(imported).extracting(i -> i.system().name()).containsExactly("calendar", "crm");
        assertThat(imported).allMatch(SystemTransfer.Imported::created);
        ConnectedSystem crm = target.systems.find("crm").orElseThrow();
        assertThat(crm.endpoints().token()).isEqualTo(target.server.url("/token"));
        assertThat(crm.client().secret().orElseThrow().reveal()).isEqualTo("target-secret");
        assertThat(crm.variables().get("apiKey").reveal()).isEqualTo("target-key");
        assertThat(crm.variables().get("tenant").reveal()).isEqualTo("globex");
        assertThat(target.server.requestCount("/token")).isEqualTo(1);
        assertThat(target.server.lastRequest().basicCredentials().orElseThrow().clientSecret())
                .isEqualTo("target-secret");
    }

    @Test
    void importWhenOneSystemInvalidThenNothingImportedAndFieldNamed() {
        JsonObject export = export();
        String customization = fill(export, Map.of("crm.clientSecret", "s", "crm.variables.apiKey", "k",
                "calendar.clientSecret", "c")).replace("calendar.tokenEndpoint=" + source.server.url("/token"),
                "calendar.tokenEndpoint=ftp://files.example.com/token");

        assertThatThrownBy(() -> target.transfer.importPackage(request(export, customization)))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("calendar.tokenEndpoint");
                });
        assertThat(target.systems.findAll()).isEmpty();
    }

    @Test
    void importWhenCustomizationKeyUnknownThenRefusedNamingIt() {
        JsonObject export = export();
        String customization = fill(export, Map.of("crm.clientSecret", "s", "crm.variables.apiKey", "k",
                "calendar.clientSecret", "c")) + "\ncrm.clientSecert=typo\n";

        assertThatThrownBy(() -> target.transfer.importPackage(request(export, customization)))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("customization.crm.clientSecert");
                });
        assertThat(target.systems.findAll()).isEmpty();
    }

    @Test
    void importWhenSystemExistsThenUpdatedAndOthersCreated() {
        target.systemsResource.create(body(target.clientCredentialsJson("crm")), uri("connected-systems"));
        JsonObject export = export();
        String customization = fill(export, Map.of("crm.clientSecret", "s", "crm.variables.apiKey", "k",
                "calendar.clientSecret", "c")).replace(source.server.url(""), target.server.url(""));

        var imported = target.transfer.importPackage(request(export, customization));

        assertThat(imported).extracting(SystemTransfer.Imported::created).containsExactly(true, false);
        assertThat(target.systems.find("crm").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void importWhenExistingSystemMovesToAnotherHostAndSecretLeftEmptyThenMissingImportValuesAndNothingSentThere() {
        try (HostileTokenServer elsewhere = HostileTokenServer.start()) {
            elsewhere.setDefault(ScriptedResponse.okToken("t", 3600));
            target.systemsResource.create(body(target.clientCredentialsJson("crm")), uri("connected-systems"));
            int targetRequests = target.server.requestCount();
            JsonObject export = export();
            // every secret but the one of the system that moves
            String customization = fill(export, Map.of("crm.variables.apiKey", "k", "calendar.clientSecret", "c"))
                    .replace(source.server.url(""), elsewhere.url(""));

            assertThatThrownBy(() -> target.transfer.importPackage(request(export, customization)))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.problem().code()).isEqualTo(ErrorCode.MISSING_IMPORT_VALUES);
                        assertThat(e.problem().extensions().get("missingKeys").asJsonArray())
                                .extracting(v -> ((JsonString) v).getString()).containsExactly("crm.clientSecret");
                    });
            assertThat(elsewhere.requestCount()).isZero();
            assertThat(target.server.requestCount()).isEqualTo(targetRequests);
            assertThat(target.systems.find("crm").orElseThrow().endpoints().token())
                    .isEqualTo(target.server.url("/token"));
        }
    }

    @Test
    void importWhenPackageClaimsNoSecretIsNeededThenTheStoredSecretNeverReachesTheNewHost() {
        try (HostileTokenServer elsewhere = HostileTokenServer.start()) {
            elsewhere.setDefault(ScriptedResponse.okToken("t", 3600));
            target.systemsResource.create(body(target.clientCredentialsJson("crm")), uri("connected-systems"));
            JsonObject export = export();
            // a package edited to say that crm needs no secret, so that no customization entry asks for one
            JsonObject crm = export.getJsonObject("package").getJsonArray("systems").stream()
                    .map(JsonValue::asJsonObject).filter(o -> o.getString("name").equals("crm")).findFirst()
                    .orElseThrow();
            JsonObject edited = Json.createObjectBuilder(crm).add("clientSecretRequired", false).build();
            JsonObject tampered = Json.createObjectBuilder().add("package", Json.createObjectBuilder()
                    .add("systems", Json.createArrayBuilder().add(edited))).build();
            String customization = fill(export, Map.of("crm.variables.apiKey", "k"))
                    .replace(source.server.url(""), elsewhere.url("")).lines()
                    .filter(line -> line.startsWith("crm.") && !line.startsWith("crm.clientSecret"))
                    .reduce("", (a, b) -> a + b + "\n");

            target.transfer.importPackage(request(tampered, customization));

            assertThat(target.systems.find("crm").orElseThrow().client().secret()).isEmpty();
            assertThat(elsewhere.requests()).isNotEmpty().allSatisfy(r -> assertThat(
                    r.headers().toString() + r.bodyText()).doesNotContain(TestSystems.CLIENT_SECRET));
        }
    }

    @Test
    void customizationWhenSystemNameHoldsPropertiesSyntaxThenReadBackExactly() {
        ConnectedSystem odd = TestSystems.clientCredentials(source.server).name("a b=c:d!e").build();

        String text = Customization.write(java.util.List.of(odd), source.clock.instant());

        assertThat(Customization.parse(text)).containsEntry("a b=c:d!e.clientId", TestSystems.CLIENT_ID)
                .containsEntry("a b=c:d!e.clientSecret", "");
    }
}
