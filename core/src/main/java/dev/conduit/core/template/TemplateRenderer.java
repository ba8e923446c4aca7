package dev.conduit.core.template;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

/**
 * Renders a connected system's {@code ${variable}} templates with its variables. An undefined variable is
 * {@code UNKNOWN_VARIABLE}, never a literal; a secret variable is revealed only into the rendered value.
 *
 * <p>Rendering is one pass: a value that itself contains {@code ${...}} is not expanded again, and there are no
 * {@code ${name:-default}} fall-backs (the system's validation would not see them). {@code $${x}} renders a literal
 * {@code ${x}}.
 */
public final class TemplateRenderer {

    private static final String UNRESERVED =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    private final Map<String, Variable> variables;

    public TemplateRenderer(Map<String, Variable> variables) {
        this.variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
    }

    public static TemplateRenderer of(ConnectedSystem system) {
        return new TemplateRenderer(system.variables());
    }

    /** Renders a value that goes into a form parameter, a JSON body or a header: variable values are put in raw. */
    public String render(String field, String template) {
        return substitute(field, template, UnaryOperator.identity());
    }

    /**
     * Renders a URL. Each variable value is percent-encoded down to RFC 3986 unreserved characters, so a value can fill
     * a host label or a path segment but never add a {@code /}, {@code ?}, {@code #}, {@code @} or {@code :} that
     * changes where the request goes.
     *
     * @throws ConduitException {@code INVALID_CONFIGURATION} naming {@code field} when the result is not a URL
     */
    public URI renderUrl(String field, String template) {
        String rendered = substitute(field, template, TemplateRenderer::encodeUnreserved);
        try {
            return new URI(rendered);
        } catch (URISyntaxException e) {
            throw ConduitException.invalidField(field, "is not a valid URL once its variables are filled in");
        }
    }

    /** Renders every value of a parameter map; keys stay as they are. The field is {@code prefix.key}. */
    public Map<String, String> renderAll(String prefix, Map<String, String> templates) {
        Map<String, String> rendered = new LinkedHashMap<>();
        templates.forEach((key, template) -> rendered.put(key, render(prefix + "." + key, template)));
        return rendered;
    }

    private String substitute(String field, String template, UnaryOperator<String> encode) {
        if (template == null) {
            return null;
        }
        StringLookup lookup = name -> {
            Variable variable = variables.get(name);
            if (variable == null) {
                throw ConduitException.builder(ErrorCode.UNKNOWN_VARIABLE,
                        field + ": refers to ${" + name + "}, which is not a variable of this system")
                        .field(field).build();
            }
            return encode.apply(variable.reveal());
        };
        StringSubstitutor substitutor = new StringSubstitutor(lookup);
        substitutor.setDisableSubstitutionInValues(true);
        substitutor.setEnableSubstitutionInVariables(false);
        substitutor.setValueDelimiterMatcher(null);
        substitutor.setEnableUndefinedVariableException(true);
        try {
            return substitutor.replace(template);
        } catch (IllegalArgumentException e) {
            // the lookup throws for unknown names; anything else (e.g. a cycle) is a template error
            throw ConduitException.invalidField(field, "is not a valid template");
        }
    }

    /** Percent-encodes UTF-8 bytes of everything except RFC 3986 section 2.3 unreserved characters. */
    static String encodeUnreserved(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && UNRESERVED.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
