package dev.conduit.web.system;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.provider.ProviderTemplate;
import dev.conduit.core.provider.TemplateCatalog;
import dev.conduit.web.json.SharedJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/connected-systems} with {@code "template": "<id>"}: renders the template with the request's
 * {@code variables} into the ordinary request body, then lays every other member of the request over it, so a field
 * set by hand overrides the template's value. The result is read, validated, discovered and checked like any other
 * system.
 */
final class TemplateRequest {

    private TemplateRequest() {
    }

    /** True when the body asks for a template by id (a {@code template} object is a recorded reference instead). */
    static boolean asksForTemplate(JsonObject body) {
        return body.get("template") instanceof JsonString;
    }

    /**
     * The request body the template and the given values make.
     *
     * @throws ConduitException {@code UNKNOWN_TEMPLATE}; {@code INVALID_REQUEST} for a variable that is not a string;
     *                          a template's own refusals ({@code variables.<name>}, {@code grantType})
     */
    static JsonObject expand(JsonObject body, TemplateCatalog catalog) {
        ProviderTemplate template = catalog.get(body.getString("template"));
        Map<String, String> values = new LinkedHashMap<>();
        JsonValue variables = body.get("variables");
        if (variables != null && variables.getValueType() != JsonValue.ValueType.NULL) {
            if (!(variables instanceof JsonObject object)) {
                throw invalid("variables", "must be an object of the template's variables, e.g. {\"realm\": \"acme\"}");
            }
            object.forEach((name, value) -> values.put(name, text(name, value)));
        }
        JsonValue grantType = body.get("grantType");
        Map<String, Object> rendered = template.render(values,
                grantType instanceof JsonString s ? s.getString() : null);
        JsonObjectBuilder merged = SharedJson.createObjectBuilder(rendered);
        body.forEach((name, value) -> {
            if (!name.equals("template") && !name.equals("variables")) {
                merged.add(name, value);
            }
        });
        return merged.build();
    }

    /** A variable's value: a string, or {@code {"value": "..."}} as a system read shows it. */
    private static String text(String name, JsonValue value) {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        if (value instanceof JsonObject o && o.get("value") instanceof JsonString s) {
            return s.getString();
        }
        throw invalid("variables." + name, "must be a string");
    }

    private static ConduitException invalid(String field, String message) {
        return ConduitException.builder(ErrorCode.INVALID_REQUEST, field + ": " + message).field(field).build();
    }
}
