package dev.conduit.web.transfer;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import dev.conduit.core.schema.FieldType;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The customization file of an export: the values that differ per environment, as a properties file. Keys are
 * {@code <system>.<field>}: each field {@link SystemFields} marks per environment (endpoints, issuer, client id,
 * scope, integration base URL ...) and {@code variables.<name>} with their current values, and every secret that is
 * set ({@code clientSecret}, {@code clientAssertionKey}, secret variables) as a required, empty entry.
 */
public final class Customization {

    /** Fields a customization file may set, besides variables: those {@link SystemFields} marks per environment. */
    static final List<String> FIELDS = SystemFields.perEnvironment().stream().filter(f -> f.type() != FieldType.MAP)
            .map(SystemField::name).toList();

    static final String VARIABLES = "variables.";

    private Customization() {
    }

    /** The file for these systems. */
    public static String write(List<ConnectedSystem> systems, Instant exportedAt) {
        StringBuilder out = new StringBuilder()
                .append("# Conduit customization file, exported ").append(exportedAt).append('\n')
                .append("# Per-environment values of each connected system, as <system>.<field>=<value>.\n")
                .append("# Adjust the values for the target environment. Entries marked REQUIRED are secrets, which are\n")
                .append("# never exported: fill every one in before importing, or the import is refused.\n");
        for (ConnectedSystem s : systems) {
            out.append("\n# ---- ").append(oneLine(s.name())).append(" (").append(s.grantType())
                    .append(s.template().map(t -> ", from provider template " + t.id() + " version " + t.version())
                            .orElse(""))
                    .append(")\n");
            List<SystemField> secrets = new ArrayList<>();
            for (SystemField field : SystemFields.perEnvironment()) {
                if (field.secret()) {
                    secrets.add(field);
                } else if (field.type() == FieldType.MAP) {
                    s.variables().values().stream().filter(v -> !v.secret())
                            .forEach(v -> entry(out, s.name(), VARIABLES + v.name(), Optional.of(v.plainValue())));
                } else {
                    entry(out, s.name(), field.name(), Optional.ofNullable(field.text(s)));
                }
            }
            for (SystemField field : secrets) {
                if (field.get(s) != null) {
                    required(out, s.name(), field.name(), "the " + field.label().toLowerCase(Locale.ROOT));
                }
            }
            for (Variable v : s.variables().values()) {
                if (v.secret()) {
                    required(out, s.name(), VARIABLES + v.name(), "the secret variable " + v.name());
                }
            }
        }
        return out.toString();
    }

    /** Reads a customization file; every key and value as written. */
    public static Map<String, String> parse(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw ConduitException.builder(ErrorCode.INVALID_REQUEST,
                    "customization: is not a properties file (a malformed \\u escape?)").field("customization").build();
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(k -> values.put(k, properties.getProperty(k)));
        return values;
    }

    private static void entry(StringBuilder out, String system, String field, Optional<String> value) {
        if (value.isEmpty()) {
            out.append("# ").append(PropertiesText.key(system + "." + field)).append("=\n");
            return;
        }
        out.append(PropertiesText.key(system + "." + field)).append('=').append(PropertiesText.value(value.get()))
                .append('\n');
    }

    private static void required(StringBuilder out, String system, String field, String what) {
        out.append("# REQUIRED: ").append(what).append(" of ").append(oneLine(system)).append(" (a secret: never exported)\n")
                .append(PropertiesText.key(system + "." + field)).append("=\n");
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]", " ");
    }
}
