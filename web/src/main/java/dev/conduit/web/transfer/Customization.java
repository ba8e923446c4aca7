package dev.conduit.web.transfer;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The customization file of an export: the values that differ per environment, as a properties file. Keys are
 * {@code <system>.<field>}: the endpoints, {@code clientId}, {@code clientAssertionKeyId}, {@code scope} and
 * {@code variables.<name>} with their current values, and every secret ({@code clientSecret},
 * {@code clientAssertionKey}, secret variables) as a required, empty entry.
 */
public final class Customization {

    /** Fields a customization file may set, besides variables. */
    static final List<String> FIELDS = List.of("tokenEndpoint", "authorizationEndpoint", "revocationEndpoint",
            "introspectionEndpoint", "issuer", "integrationBaseUrl", "clientId", "clientAssertionKeyId", "scope",
            "clientSecret", "clientAssertionKey");

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
            entry(out, s.name(), "tokenEndpoint", Optional.of(s.endpoints().token()));
            entry(out, s.name(), "authorizationEndpoint", s.endpoints().authorization());
            entry(out, s.name(), "revocationEndpoint", s.endpoints().revocation());
            entry(out, s.name(), "introspectionEndpoint", s.endpoints().introspection());
            entry(out, s.name(), "issuer", s.endpoints().issuer());
            entry(out, s.name(), "integrationBaseUrl", s.integration().baseUrl());
            entry(out, s.name(), "clientId", Optional.of(s.client().id()));
            if (s.client().assertionKey().isPresent() || s.client().assertionKeyId().isPresent()) {
                entry(out, s.name(), "clientAssertionKeyId", s.client().assertionKeyId());
            }
            entry(out, s.name(), "scope", Optional.of(s.tokenRequest().scope().toString()));
            for (Variable v : s.variables().values()) {
                if (!v.secret()) {
                    entry(out, s.name(), VARIABLES + v.name(), Optional.of(v.plainValue()));
                }
            }
            if (s.client().secret().isPresent()) {
                required(out, s.name(), "clientSecret", "the client secret");
            }
            if (s.client().assertionKey().isPresent()) {
                required(out, s.name(), "clientAssertionKey",
                        "the private_key_jwt signing key (PKCS#8 PEM, line breaks as \\n)");
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
