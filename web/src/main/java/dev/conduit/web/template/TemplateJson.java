package dev.conduit.web.template;

import dev.conduit.core.provider.ProviderTemplate;
import dev.conduit.core.provider.TemplateCatalog;
import dev.conduit.core.provider.TemplateProblem;
import dev.conduit.core.provider.TemplateVariable;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Map;

/**
 * The provider templates as the REST API shows them. The shapes are a contract with the console's template chooser
 * (README, "Provider templates"): members are added, never renamed or removed.
 */
public final class TemplateJson {

    private TemplateJson() {
    }

    /** {@code {templates: [{id, displayName, version, documentationUrl, grantTypes}], problems: [...]}}. */
    public static JsonObject list(TemplateCatalog catalog) {
        JsonArrayBuilder templates = Json.createArrayBuilder();
        for (ProviderTemplate t : catalog.all()) {
            templates.add(Json.createObjectBuilder()
                    .add("id", t.id())
                    .add("displayName", t.displayName())
                    .add("version", t.version())
                    .add("documentationUrl", t.documentationUrl())
                    .add("grantTypes", Json.createArrayBuilder(t.grantTypes())));
        }
        return Json.createObjectBuilder().add("templates", templates).add("problems", problems(catalog.problems()))
                .build();
    }

    /**
     * One template with the variables to ask for, the default scope per grant type, the endpoint templates, the quirks
     * and the notes; {@code redirectUri} is what to register at the provider.
     */
    public static JsonObject detail(ProviderTemplate t, String redirectUri) {
        JsonArrayBuilder variables = Json.createArrayBuilder();
        for (TemplateVariable v : t.variables()) {
            JsonObjectBuilder variable = Json.createObjectBuilder()
                    .add("name", v.name())
                    .add("label", v.label())
                    .add("required", v.required())
                    .add("secret", v.secret())
                    .add("pattern", v.pattern().pattern());
            optional(variable, "description", v.description());
            optional(variable, "default", v.defaultValue());
            if (!v.example().isEmpty()) {
                variable.add("example", v.example());
            }
            variables.add(variable);
        }
        JsonObjectBuilder scopes = Json.createObjectBuilder();
        t.grantTypes().forEach(g -> scopes.add(g, t.scope().forGrantType(g)));
        JsonObjectBuilder endpoints = Json.createObjectBuilder(Map.copyOf(t.endpoints().byField()))
                .add("discover", t.endpoints().discover());
        JsonObjectBuilder quirks = Json.createObjectBuilder();
        t.quirks().values().forEach((field, value) -> {
            // an empty list or map says nothing: left out, as a quirk the template does not give
            if (!(value instanceof java.util.Collection<?> c && c.isEmpty()) && !(value instanceof Map<?, ?> m && m.isEmpty())) {
                quirks.add(field, Json.createObjectBuilder(Map.of(field, value)).build().get(field));
            }
        });
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("id", t.id())
                .add("displayName", t.displayName())
                .add("version", t.version())
                .add("documentationUrl", t.documentationUrl())
                .add("source", t.source())
                .add("grantTypes", Json.createArrayBuilder(t.grantTypes()))
                .add("variables", variables)
                .add("defaultScope", scopes)
                .add("scopeSeparator", t.scope().separator())
                .add("endpoints", endpoints)
                .add("quirks", quirks)
                .add("notes", Json.createArrayBuilder(t.notes()))
                .add("redirectUri", redirectUri);
        optional(json, "clientAuthMethod", t.clientAuthMethod());
        return json.build();
    }

    private static JsonArrayBuilder problems(List<TemplateProblem> problems) {
        JsonArrayBuilder json = Json.createArrayBuilder();
        problems.forEach(p -> json.add(Json.createObjectBuilder().add("source", p.source()).add("field", p.field())
                .add("message", p.message())));
        return json;
    }

    private static void optional(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }
}
