package dev.conduit.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.schema.FieldType;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quirks a provider template may set are the fields the field description marks, read by their types. */
class TemplateQuirksTest {

    @TempDir
    Path folder;

    /** A value each quirk's type takes, as a template file spells it. */
    private static Object sample(SystemField field) {
        return switch (field.type()) {
            case LIST -> List.of("user");
            case MAP -> Map.of("tenant", "acme");
            case INTEGER, DURATION -> field.min() + 1;
            default -> field.values().isEmpty() ? "data.token" : field.values().get(field.values().size() - 1);
        };
    }

    private String template(String quirks) {
        return """
                {"id": "quirky", "version": 1, "displayName": "Quirky",
                 "documentationUrl": "https://docs.example.com/oauth", "source": "https://docs.example.com/oauth",
                 "grantTypes": ["authorization_code"], "variables": [],
                 "endpoints": {"token": "https://idp.example.com/token",
                               "authorization": "https://idp.example.com/authorize"},
                 "quirks": %s, "notes": ["Register the client."]}
                """.formatted(quirks);
    }

    private TemplateCatalog load(String quirks) throws IOException {
        Files.writeString(folder.resolve("quirky.json"), template(quirks), StandardCharsets.UTF_8);
        return TemplateCatalog.load(Optional.of(folder));
    }

    @Test
    void renderWhenEveryQuirkOfTheFieldDescriptionSetThenEachLandsOnItsField() throws IOException {
        Map<String, Object> quirks = new LinkedHashMap<>();
        SystemFields.templateQuirks().forEach(f -> quirks.put(f.name(), sample(f)));
        TemplateCatalog catalog = load(Json.createObjectBuilder(quirks).build().toString());

        Map<String, Object> system = catalog.get("quirky").render(Map.of(), null);

        assertThat(catalog.problems()).isEmpty();
        for (SystemField field : SystemFields.templateQuirks()) {
            assertThat(system.get(field.name())).as(field.name()).isEqualTo(sample(field));
        }
    }

    @Test
    void loadWhenQuirkIsNoTemplateQuirkThenRefusedNamingIt() throws IOException {
        SystemField notAQuirk = SystemFields.byName("clientId").orElseThrow();
        assertThat(notAQuirk.templateQuirk()).isFalse();

        TemplateCatalog catalog = load("{\"clientId\": \"someone\"}");

        assertThat(catalog.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("quirks.clientId");
            assertThat(p.message()).contains("tokenResponseKey");
        });
    }

    @Test
    void loadWhenEnumQuirkHasAnotherValueThenRefusedListingTheValues() throws IOException {
        TemplateCatalog catalog = load("{\"bodyFormat\": \"XML\"}");

        assertThat(catalog.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("quirks.bodyFormat");
            assertThat(p.message()).contains("FORM or JSON");
        });
        assertThat(SystemFields.byName("bodyFormat").orElseThrow().type()).isEqualTo(FieldType.ENUM);
    }
}
