package dev.conduit.web.template;

import dev.conduit.core.provider.ProviderTemplate;
import dev.conduit.core.provider.TemplateCatalog;
import dev.conduit.core.provider.TemplateProblem;
import dev.conduit.core.provider.TemplateVariable;
import dev.conduit.web.json.SharedJson;
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
        JsonArrayBuilder templates = SharedJson.createArrayBuilder();
        for (ProviderTemplate t : catalog.all()) {
            templates.add(SharedJson.createObjectBuilder()
                    .add("id", t.id())
                    .add("displayName", t.displayName())
                    .add("version", t.version())
                    .add("documentationUrl", t.documentationUrl())
                    .add("grantTypes", SharedJson.createArrayBuilder(t.grantTypes())));
        }
        return SharedJson.createObjectBuilder().add("templates", templates)
                .add("problems", problems(catalog.problems()))
                .build();
    }

    /**
     * One template with the variables to ask for, the default scope per grant type, the endpoint templates, the quirks
     * and the notes; {@code redirectUri} is what to register at the provider.
     */
    public static JsonObject detail(ProviderTemplate t, String redirectUri) {
        JsonArrayBuilder variables = SharedJson.createArrayBuilder();
        for (TemplateVariable v : t.variables()) {
            JsonObjectBuilder variable = SharedJson.createObjectBuilder()
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
        JsonObjectBuilder scopes = SharedJson.createObjectBuilder();
        t.grantTypes().forEach(g -> scopes.add(g, t.scope().forGrantType(g)));
        JsonObjectBuilder endpoints = SharedJson.createObjectBuilder(Map.copyOf(t.endpoints().byField()))
                .add("discover", t.endpoints().discover());
        JsonObjectBuilder quirks = SharedJson.createObjectBuilder();
        t.quirks().values().forEach((field, value) -> {
            // an empty list or map says nothing: left out, as a quirk the template does not give
            if (!(value instanceof java.util.Collection<?> c && c.isEmpty()) && !(value instanceof Map<?, ?> m && m.isEmpty())) {
                quirks.add(field, SharedJson.createObjectBuilder(Map.of(field, value)).build().get(field));
            }
        });
        JsonObjectBuilder json = SharedJson.createObjectBuilder()
                .add("id", t.id())
                .add("displayName", t.displayName())
                .add("version", t.version())
                .add("documentationUrl", t.documentationUrl())
                .add("source", t.source())
                .add("grantTypes", SharedJson.createArrayBuilder(t.grantTypes()))
                .add("variables", variables)
                .add("defaultScope", scopes)
                .add("scopeSeparator", t.scope().separator())
                .add("endpoints", endpoints)
                .add("quirks", quirks)
                .add("notes", SharedJson.createArrayBuilder(t.notes()))
                .add("redirectUri", redirectUri);
        optional(json, "clientAuthMethod", t.clientAuthMethod());
        return json.build();
    }

    private static JsonArrayBuilder problems(List<TemplateProblem> problems) {
        JsonArrayBuilder json = SharedJson.createArrayBuilder();
        problems.forEach(p -> json.add(SharedJson.createObjectBuilder().add("source", p.source())
                .add("field", p.field())
                .add("message", p.message())));
        return json;
    }

    private static void optional(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }
}
