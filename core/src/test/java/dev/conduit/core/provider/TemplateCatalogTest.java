package dev.conduit.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateCatalogTest {

    private static final Path SOURCE_CATALOG = Path.of("src/main/resources", TemplateCatalog.BUILT_IN);

    @TempDir
    Path folder;

    @Test
    void builtInWhenLoadedThenFifteenProvidersAndNoProblem() {
        TemplateCatalog catalog = TemplateCatalog.builtIn();

        assertThat(catalog.problems()).isEmpty();
        assertThat(catalog.all()).extracting(ProviderTemplate::id).containsExactlyInAnyOrder("keycloak",
                "microsoft-entra-id", "google", "salesforce", "github", "gitlab", "okta", "auth0", "atlassian",
                "slack", "hubspot", "zoom", "dropbox", "servicenow", "oauth2-discovery");
        assertThat(catalog.all()).allSatisfy(t -> {
            assertThat(t.source()).startsWith("https://");
            assertThat(t.documentationUrl()).startsWith("https://");
            assertThat(t.notes()).isNotEmpty();
            assertThat(t.origin()).isEqualTo("classpath:" + TemplateCatalog.BUILT_IN + t.id() + ".json");
        });
    }

    @Test
    void builtInIndexWhenComparedWithTheFolderThenListsEveryFile() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(SOURCE_CATALOG)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        }
        List<String> listed = Files.readAllLines(SOURCE_CATALOG.resolve("index.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).sorted().toList();

        assertThat(listed).isEqualTo(files);
    }

    @Test
    void loadWhenFolderHasBrokenFilesThenEachNamedWithItsFieldAndTheRestLoads() throws IOException {
        write("acme-idp.json", template("acme-idp", "\"token\": \"https://${host}/token\""));
        write("broken-pattern.json", template("broken-pattern", "\"token\": \"https://${host}/token\"")
                .replace("\"pattern\": \"[a-z.]+\"", "\"pattern\": \"[a-z.+\""));
        write("undeclared.json", template("undeclared", "\"token\": \"https://${tenant}/token\""));
        write("not-json.json", "{\"id\": \"x\",");

        TemplateCatalog catalog = TemplateCatalog.load(Optional.of(folder));

        assertThat(catalog.find("acme-idp")).isPresent();
        assertThat(catalog.all()).hasSize(16);
        assertThat(catalog.problems()).extracting(TemplateProblem::source, TemplateProblem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(folder.resolve("broken-pattern.json").toString(),
                        "variables[0].pattern"),
                org.assertj.core.groups.Tuple.tuple(folder.resolve("not-json.json").toString(), "(document)"),
                org.assertj.core.groups.Tuple.tuple(folder.resolve("undeclared.json").toString(), "endpoints.token"));
        assertThat(catalog.problems().get(2).message()).contains("${tenant}").contains("declared: host");
    }

    @Test
    void loadWhenMemberGivenTwiceThenRefusedNamingItsLine() throws IOException {
        write("twice.json", template("twice", "\"token\": \"https://${host}/token\"")
                .replace("\"version\": 2,", "\"version\": 2,\n \"id\": \"other\","));

        TemplateCatalog catalog = TemplateCatalog.load(Optional.of(folder));

        assertThat(catalog.find("twice")).isEmpty();
        assertThat(catalog.find("other")).isEmpty();
        assertThat(catalog.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("(document)");
            assertThat(p.message()).contains("line 2").contains("'id' appears twice");
        });
    }

    @Test
    void loadWhenFileHasTheIdOfABuiltInThenItReplacesIt() throws IOException {
        write("keycloak.json", template("keycloak", "\"token\": \"https://${host}/token\""));

        TemplateCatalog catalog = TemplateCatalog.load(Optional.of(folder));

        assertThat(catalog.get("keycloak").origin()).isEqualTo(folder.resolve("keycloak.json").toString());
        assertThat(catalog.problems()).isEmpty();
    }

    @Test
    void loadWhenFolderMissingThenProblemAndBuiltInsStillLoad() {
        TemplateCatalog catalog = TemplateCatalog.load(Optional.of(folder.resolve("absent")));

        assertThat(catalog.all()).hasSize(15);
        assertThat(catalog.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("(folder)"));
    }

    @Test
    void loadWhenSecretVariableInAUrlThenRefusedNamingTheField() throws IOException {
        write("leaky.json", template("leaky", "\"token\": \"https://${host}/token\"")
                .replace("\"quirks\": {}", "\"quirks\": {\"extraQueryParameters\": {\"key\": \"${apiKey}\"}}")
                .replace("\"variables\": [", "\"variables\": [{\"name\": \"apiKey\", \"label\": \"Key\", "
                        + "\"secret\": true},"));

        TemplateCatalog catalog = TemplateCatalog.load(Optional.of(folder));

        assertThat(catalog.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("quirks.extraQueryParameters.key");
            assertThat(p.message()).contains("secret");
        });
    }

    @Test
    void getWhenUnknownIdThenUnknownTemplateNamingTheField() {
        assertThatThrownBy(() -> TemplateCatalog.builtIn().get("nope"))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TEMPLATE);
                    assertThat(e.field()).contains("template");
                    assertThat(e.getMessage()).contains("keycloak");
                });
    }

    @Test
    void renderWhenKeycloakVariablesGivenThenEndpointsFilledAndReferenceRecorded() {
        Map<String, Object> system = TemplateCatalog.builtIn().get("keycloak")
                .render(Map.of("baseUrl", "https://sso.example.com", "realm", "acme"), null);

        assertThat(system).containsEntry("grantType", "client_credentials")
                .containsEntry("tokenEndpoint", "https://sso.example.com/realms/acme/protocol/openid-connect/token")
                .containsEntry("issuer", "https://sso.example.com/realms/acme")
                .containsEntry("clientAuthMethod", "client_secret_basic")
                .containsEntry("scope", "")
                .containsEntry("template", Map.of("id", "keycloak", "version", 1))
                .containsEntry("variables", Map.of("baseUrl", Map.of("value", "https://sso.example.com"),
                        "realm", Map.of("value", "acme")));
    }

    @Test
    void renderWhenGrantTypeChosenThenItsDefaultScope() {
        Map<String, Object> system = TemplateCatalog.builtIn().get("microsoft-entra-id")
                .render(Map.of("tenant", "contoso.onmicrosoft.com"), "client_credentials");

        assertThat(system).containsEntry("scope", "https://graph.microsoft.com/.default")
                .containsEntry("tokenEndpoint",
                        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    }

    @Test
    void renderWhenRequiredVariableMissingThenInvalidConfigurationNamingIt() {
        assertThatThrownBy(() -> TemplateCatalog.builtIn().get("keycloak")
                .render(Map.of("baseUrl", "https://sso.example.com"), null))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("variables.realm");
                });
    }

    @Test
    void renderWhenValueBreaksOutOfItsPlaceThenRefusedNamingTheVariable() {
        // a realm may not add a path, a query or a host: it must stay one path segment
        assertThatThrownBy(() -> TemplateCatalog.builtIn().get("keycloak")
                .render(Map.of("baseUrl", "https://sso.example.com", "realm", "acme/../admin?x="), null))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("variables.realm");
                });
    }

    @Test
    void renderWhenVariableUnknownThenUnknownVariable() {
        assertThatThrownBy(() -> TemplateCatalog.builtIn().get("google").render(Map.of("tenant", "x"), null))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_VARIABLE);
                    assertThat(e.field()).contains("variables.tenant");
                });
    }

    @Test
    void renderWhenGrantTypeNotOfferedThenInvalidConfigurationNamingGrantType() {
        assertThatThrownBy(() -> TemplateCatalog.builtIn().get("github").render(Map.of(), "client_credentials"))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("grantType");
                    assertThat(e.getMessage()).contains("authorization_code");
                });
    }

    @Test
    void renderWhenOptionalVariableLeftOutThenItsEndpointLeftOut() {
        Map<String, Object> system = TemplateCatalog.builtIn().get("oauth2-discovery")
                .render(Map.of("issuer", "https://idp.example.com"), null);

        assertThat(system).containsEntry("issuer", "https://idp.example.com").containsEntry("discover", true)
                .doesNotContainKeys("integrationBaseUrl", "tokenEndpoint", "clientAuthMethod");
    }

    @Test
    void renderWhenSecretVariableThenKeptAsReferenceAndValueOnlyInVariables() throws IOException {
        write("keyed.json", template("keyed", "\"token\": \"https://${host}/token\"")
                .replace("\"quirks\": {}", "\"quirks\": {\"extraHeaders\": {\"X-Api-Key\": \"${apiKey}\"}}")
                .replace("\"variables\": [", "\"variables\": [{\"name\": \"apiKey\", \"label\": \"Key\", "
                        + "\"secret\": true, \"pattern\": \"[a-z0-9]+\"},"));

        Map<String, Object> system = TemplateCatalog.load(Optional.of(folder)).get("keyed")
                .render(Map.of("host", "idp.example.com", "apiKey", "k3y"), null);

        assertThat(system).containsEntry("extraHeaders", Map.of("X-Api-Key", "${apiKey}"))
                .containsEntry("tokenEndpoint", "https://idp.example.com/token");
        assertThat(system.get("variables")).isEqualTo(Map.of("host", Map.of("value", "idp.example.com"),
                "apiKey", Map.of("secret", true, "value", "k3y")));
    }

    @Test
    void renderWhenEveryBuiltInRenderedWithItsExamplesThenNoPlainReferenceLeft() {
        for (ProviderTemplate template : TemplateCatalog.builtIn().all()) {
            for (String grantType : template.grantTypes()) {
                Map<String, Object> system = template.render(examples(template), grantType);
                assertThat(system.toString()).as(template.id()).doesNotContain("${");
                assertThat(system).as(template.id()).containsEntry("grantType", grantType);
            }
        }
    }

    /** Each template variable's example: what the catalog's tests render with. */
    public static Map<String, String> examples(ProviderTemplate template) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        template.variables().forEach(v -> values.put(v.name(), v.example()));
        return values;
    }

    private static String template(String id, String token) {
        return """
                {"id": "%s", "version": 2, "displayName": "Acme IdP",
                 "documentationUrl": "https://docs.example.com/oauth", "source": "https://docs.example.com/oauth",
                 "grantTypes": ["client_credentials"],
                 "variables": [{"name": "host", "label": "Host", "pattern": "[a-z.]+", "example": "idp.example.com"}],
                 "endpoints": {%s}, "clientAuthMethod": "client_secret_post", "quirks": {},
                 "notes": ["Register the client."]}
                """.formatted(id, token);
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(folder.resolve(name), content, StandardCharsets.UTF_8);
    }
}
