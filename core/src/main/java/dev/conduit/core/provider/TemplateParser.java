package dev.conduit.core.provider;

import dev.conduit.api.ConduitException;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.core.json.StrictJson;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParsingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one provider template file strictly, as {@code provider-template.schema.json} describes the format: an unknown
 * member, a wrong type, a reference to an undeclared variable or a URL that would not be one is refused with the path
 * of the member at fault ({@code variables[1].pattern}), so the author can find it.
 */
final class TemplateParser {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,49}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Pattern GRANT_TYPE = Pattern.compile("[A-Za-z0-9_:.\\-]{1,200}");
    private static final Pattern KEY_PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Set<String> TOP = Set.of("$schema", "id", "version", "displayName", "documentationUrl",
            "source", "grantTypes", "variables", "endpoints", "scope", "clientAuthMethod", "quirks", "notes");
    private static final Set<String> VARIABLE = Set.of("name", "label", "description", "required", "default",
            "pattern", "secret", "example");
    private static final Set<String> ENDPOINTS = Set.of("authorization", "token", "revocation", "issuer",
            "integrationBaseUrl", "discover");
    private static final Set<String> SCOPE = Set.of("default", "separator", "byGrantType");
    private static final Set<String> QUIRKS = SystemFields.templateQuirks().stream().map(SystemField::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** What a quirk's text must look like beyond its field's type, and what to write when it does not. */
    private record TextRule(Pattern pattern, String hint) {
    }

    private static final Map<String, TextRule> QUIRK_RULES = Map.of("tokenResponseKey",
            new TextRule(KEY_PATH, "must be a key or a dotted path such as authed_user.access_token"));
    /** Parsson's messages end their sentence with the location, which the message gives once, up front. */
    private static final Pattern PARSER_LOCATION = Pattern.compile(" at \\(line no=\\d+, column no=\\d+, offset=\\d+\\)");
    /** Where a secret variable may go: the token request's body and headers, never a URL a log or browser keeps. */
    private static final Set<String> SECRET_ALLOWED = Set.of("extraFormParameters", "extraHeaders");

    private TemplateParser() {
    }

    /** A template file's fault: the member's path and what is wrong. */
    static final class InvalidTemplate extends RuntimeException {
        private final String field;

        InvalidTemplate(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    /**
     * Parses one template document.
     *
     * @param origin where it came from, kept on the template
     * @throws InvalidTemplate naming the member at fault
     */
    static ProviderTemplate parse(byte[] document, String origin) {
        JsonValue root;
        try {
            // strict: a member given twice or text after the object is refused, not resolved one way or the other
            root = StrictJson.read(document).orElse(null);
        } catch (JsonParsingException e) {
            throw new InvalidTemplate("(document)", "is not valid JSON" + where(e.getLocation()) + ": "
                    + PARSER_LOCATION.matcher(String.valueOf(e.getMessage())).replaceAll(""));
        } catch (JsonException e) {
            throw new InvalidTemplate("(document)", "could not be read: " + e.getMessage());
        }
        if (!(root instanceof JsonObject object)) {
            throw new InvalidTemplate("(document)", "must be a JSON object");
        }
        Node top = new Node(object, "");
        top.allowOnly(TOP);
        String id = top.requiredText("id");
        if (!ID.matcher(id).matches()) {
            throw top.invalid("id", "must be lower-case letters, digits and '-', 1 to 50 characters, e.g. keycloak");
        }
        int version = (int) top.requiredInteger("version", 1, 1_000_000);
        String displayName = top.requiredText("displayName");
        if (displayName.length() > 100) {
            throw top.invalid("displayName", "must be at most 100 characters");
        }
        String documentationUrl = https(top, "documentationUrl", top.requiredText("documentationUrl"));
        String source = https(top, "source", top.requiredText("source"));
        List<String> grantTypes = top.texts("grantTypes", true);
        for (String grantType : grantTypes) {
            if (!GRANT_TYPE.matcher(grantType).matches()) {
                throw top.invalid("grantTypes", "'" + grantType + "' is not a grant type name");
            }
        }
        if (new LinkedHashSet<>(grantTypes).size() != grantTypes.size()) {
            throw top.invalid("grantTypes", "lists a grant type twice");
        }
        List<TemplateVariable> variables = variables(top);
        Map<String, TemplateVariable> byName = new LinkedHashMap<>();
        variables.forEach(v -> byName.put(v.name(), v));

        ProviderTemplate.Endpoints endpoints = endpoints(top.requiredObject("endpoints"), byName);
        ProviderTemplate.ScopeDefaults scope = scope(top.object("scope"), grantTypes);
        // left out: client_secret_basic, or with discovery a method the server's metadata lists
        String authMethod = top.text("clientAuthMethod");
        if (authMethod != null) {
            try {
                authMethod = ClientAuthMethod.fromWireName(authMethod).wireName();
            } catch (ConduitException e) {
                throw top.invalid("clientAuthMethod", "'" + authMethod
                        + "' is not client_secret_basic, client_secret_post or private_key_jwt");
            }
        }
        ProviderTemplate.Quirks quirks = quirks(top.object("quirks"), byName);
        List<String> notes = top.has("notes") ? top.texts("notes", false) : List.of();
        return new ProviderTemplate(id, version, displayName, documentationUrl, source, grantTypes, variables,
                endpoints, scope, authMethod, quirks, notes, origin);
    }

    private static List<TemplateVariable> variables(Node top) {
        List<TemplateVariable> variables = new ArrayList<>();
        List<Node> items = top.objects("variables");
        Set<String> names = new LinkedHashSet<>();
        for (Node v : items) {
            v.allowOnly(VARIABLE);
            String name = v.requiredText("name");
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw v.invalid("name", "must be a letter, then letters, digits, '_', '-' or '.'");
            }
            if (!names.add(name)) {
                throw v.invalid("name", "'" + name + "' is declared twice");
            }
            boolean secret = v.bool("secret", false);
            Pattern pattern = TemplateVariable.DEFAULT_PATTERN;
            String patternText = v.text("pattern");
            if (patternText != null) {
                try {
                    pattern = Pattern.compile(patternText);
                } catch (PatternSyntaxException e) {
                    throw v.invalid("pattern", "is not a regular expression: " + e.getDescription());
                }
            }
            String example = v.text("example");
            if (example == null && !secret) {
                throw v.invalid("example", "is required: a value that matches the pattern, shown as a placeholder");
            }
            if (example != null && !pattern.matcher(example).matches()) {
                throw v.invalid("example", "'" + example + "' does not match the pattern " + pattern.pattern());
            }
            String defaultValue = v.text("default");
            if (defaultValue != null && !pattern.matcher(defaultValue).matches()) {
                throw v.invalid("default", "'" + (secret ? "******" : defaultValue) + "' does not match the pattern "
                        + pattern.pattern());
            }
            if (secret && defaultValue != null) {
                throw v.invalid("default", "a secret variable has no default: the template file is not secret");
            }
            variables.add(new TemplateVariable(name, v.requiredText("label"), v.text("description"),
                    v.bool("required", true), defaultValue, pattern, secret, example == null ? "" : example));
        }
        return variables;
    }

    private static ProviderTemplate.Endpoints endpoints(Node e, Map<String, TemplateVariable> variables) {
        e.allowOnly(ENDPOINTS);
        Map<String, String> urls = new LinkedHashMap<>();
        for (String name : List.of("authorization", "token", "revocation", "issuer", "integrationBaseUrl")) {
            String template = e.text(name);
            if (template != null) {
                // the token endpoint and the issuer must always render; another endpoint that refers to an optional
                // variable is left out when that variable is
                checkReferences(e, name, template, variables, false, name.equals("token") || name.equals("issuer"));
                String sample = sample(template, variables);
                URI uri;
                try {
                    uri = new URI(sample);
                } catch (URISyntaxException ex) {
                    throw e.invalid(name, "is not a URL once its variables are filled in: " + ex.getReason());
                }
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                    throw e.invalid(name, "must be an absolute https URL once its variables are filled in, was "
                            + sample);
                }
                urls.put(name, template);
            }
        }
        boolean discover = e.bool("discover", false);
        if (discover && urls.get("issuer") == null) {
            throw e.invalid("issuer", "is required when discover is true");
        }
        if (!discover && urls.get("token") == null) {
            throw e.invalid("token", "is required (or give the issuer and \"discover\": true)");
        }
        return new ProviderTemplate.Endpoints(urls.get("authorization"), urls.get("token"), urls.get("revocation"),
                urls.get("issuer"), urls.get("integrationBaseUrl"), discover);
    }

    private static ProviderTemplate.ScopeDefaults scope(Node s, List<String> grantTypes) {
        if (s == null) {
            return new ProviderTemplate.ScopeDefaults(List.of(), " ", Map.of());
        }
        s.allowOnly(SCOPE);
        List<String> tokens = s.has("default") ? s.texts("default", false) : List.of();
        JsonValue separatorValue = s.json.get("separator"); // JSON null is refused, as any other non-string
        String separator = separatorValue == null ? " " : StrictJson.text(separatorValue);
        if (!" ".equals(separator) && !",".equals(separator)) {
            throw s.invalid("separator", "must be \" \" (RFC 6749) or \",\"");
        }
        Map<String, List<String>> byGrantType = new LinkedHashMap<>();
        Node by = s.object("byGrantType");
        if (by != null) {
            for (String grant : by.names()) {
                if (!grantTypes.contains(grant)) {
                    throw by.invalid(grant, "is not one of the template's grantTypes " + grantTypes);
                }
                byGrantType.put(grant, by.texts(grant, false));
            }
        }
        for (String token : tokens) {
            if (token.isEmpty() || token.contains(" ") || token.contains(separator)) {
                throw s.invalid("default", "'" + token + "' is not one scope token");
            }
        }
        return new ProviderTemplate.ScopeDefaults(tokens, separator, byGrantType);
    }

    /**
     * The quirks, each a connected-system field that {@link SystemFields#templateQuirks()} lists, read by its type:
     * an enum one of its values, a duration whole seconds within its range, a map's values checked for references.
     */
    private static ProviderTemplate.Quirks quirks(Node q, Map<String, TemplateVariable> variables) {
        if (q == null) {
            return ProviderTemplate.Quirks.NONE;
        }
        q.allowOnly(QUIRKS);
        Map<String, Object> values = new LinkedHashMap<>();
        for (SystemField field : SystemFields.templateQuirks()) {
            String name = field.name();
            if (!q.has(name)) {
                continue;
            }
            switch (field.type()) {
                case LIST -> values.put(name, q.texts(name, false));
                case INTEGER, DURATION -> values.put(name, q.requiredInteger(name, field.min(), field.max()));
                case MAP -> {
                    Map<String, String> map = q.textMap(name);
                    map.forEach((key, template) -> checkReferences(q, name + "." + key, template, variables,
                            SECRET_ALLOWED.contains(name), false));
                    values.put(name, map);
                }
                default -> {
                    String text = q.text(name);
                    if (!field.values().isEmpty() && !field.values().contains(text)) {
                        throw q.invalid(name, "must be " + String.join(" or ", field.values()));
                    }
                    TextRule rule = QUIRK_RULES.get(name);
                    if (rule != null && !rule.pattern().matcher(text).matches()) {
                        throw q.invalid(name, rule.hint());
                    }
                    values.put(name, text);
                }
            }
        }
        return new ProviderTemplate.Quirks(values);
    }

    /**
     * Every reference names a declared variable; a secret one only where allowed; an endpoint's only variables that
     * always have a value (required, or with a default).
     */
    private static void checkReferences(Node node, String field, String template,
            Map<String, TemplateVariable> variables, boolean secretAllowed, boolean alwaysFilled) {
        for (String ref : ProviderTemplate.references(template)) {
            TemplateVariable variable = variables.get(ref);
            if (variable == null) {
                throw node.invalid(field, "refers to ${" + ref + "}, which is not declared under variables"
                        + (variables.isEmpty() ? "" : " (declared: " + String.join(", ", variables.keySet()) + ")"));
            }
            if (variable.secret() && !secretAllowed) {
                throw node.invalid(field, "refers to the secret variable ${" + ref
                        + "}: secrets go only into extraFormParameters and extraHeaders, never into a URL");
            }
            if (alwaysFilled && !variable.required() && variable.defaultValue() == null) {
                throw node.invalid(field, "refers to ${" + ref + "}, which is optional and has no default");
            }
        }
    }

    /** The template with each variable's example (or default) filled in. */
    private static String sample(String template, Map<String, TemplateVariable> variables) {
        String value = template;
        for (String ref : ProviderTemplate.references(template)) {
            TemplateVariable v = variables.get(ref);
            String filler = v.defaultValue() != null ? v.defaultValue() : v.example();
            value = value.replace("${" + ref + "}", filler);
        }
        return value;
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
    }

    private static String https(Node node, String field, String url) {
        try {
            URI uri = new URI(url);
            if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw node.invalid(field, "must be an https URL");
    }

    /** One JSON object of the template with its path, for messages. */
    private static final class Node {
        private final JsonObject json;
        private final String path;

        Node(JsonObject json, String path) {
            this.json = json;
            this.path = path;
        }

        String at(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        InvalidTemplate invalid(String name, String message) {
            return new InvalidTemplate(at(name), message);
        }

        /** The member, else {@code null} (also when it is JSON {@code null}). */
        JsonValue get(String name) {
            return StrictJson.member(json, name);
        }

        boolean has(String name) {
            return get(name) != null;
        }

        List<String> names() {
            return new ArrayList<>(json.keySet());
        }

        void allowOnly(Set<String> allowed) {
            for (String name : json.keySet()) {
                if (!allowed.contains(name)) {
                    throw invalid(name, "is not a member of a provider template here (allowed: "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
            }
        }

        String text(String name) {
            JsonValue v = get(name);
            if (v == null) {
                return null;
            }
            String text = StrictJson.text(v);
            if (text == null || text.isBlank()) {
                throw invalid(name, "must be a non-empty string");
            }
            return text;
        }

        String requiredText(String name) {
            String v = text(name);
            if (v == null) {
                throw invalid(name, "is required");
            }
            return v;
        }

        long requiredInteger(String name, long min, long max) {
            JsonValue v = get(name);
            if (v == null) {
                throw invalid(name, "is required");
            }
            return StrictJson.wholeNumber(v).filter(n -> n >= min && n <= max)
                    .orElseThrow(() -> invalid(name, "must be a whole number from " + min + " to " + max));
        }

        boolean bool(String name, boolean defaultValue) {
            JsonValue v = get(name);
            if (v == null) {
                return defaultValue;
            }
            return StrictJson.bool(v).orElseThrow(() -> invalid(name, "must be true or false"));
        }

        Node object(String name) {
            JsonValue v = get(name);
            if (v == null) {
                return null;
            }
            if (!(v instanceof JsonObject object)) {
                throw invalid(name, "must be a JSON object");
            }
            return new Node(object, at(name));
        }

        Node requiredObject(String name) {
            Node v = object(name);
            if (v == null) {
                throw invalid(name, "is required");
            }
            return v;
        }

        List<Node> objects(String name) {
            JsonValue v = get(name);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof JsonArray array)) {
                throw invalid(name, "must be a JSON array of objects");
            }
            List<Node> items = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof JsonObject item)) {
                    throw new InvalidTemplate(at(name) + "[" + i + "]", "must be a JSON object");
                }
                items.add(new Node(item, at(name) + "[" + i + "]"));
            }
            return items;
        }

        List<String> texts(String name, boolean nonEmpty) {
            if (!(get(name) instanceof JsonArray array)) {
                throw invalid(name, "must be a JSON array of strings");
            }
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                String item = StrictJson.text(array.get(i));
                if (item == null || item.isBlank()) {
                    throw new InvalidTemplate(at(name) + "[" + i + "]", "must be a non-empty string");
                }
                texts.add(item);
            }
            if (nonEmpty && texts.isEmpty()) {
                throw invalid(name, "must list at least one");
            }
            return texts;
        }

        Map<String, String> textMap(String name) {
            Node map = object(name);
            Map<String, String> values = new LinkedHashMap<>();
            if (map == null) {
                return values;
            }
            for (String key : map.names()) {
                values.put(key, map.requiredText(key));
            }
            return values;
        }
    }
}
