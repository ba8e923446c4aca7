package dev.conduit.web.transfer;

import dev.conduit.core.schema.SystemFields;
import dev.conduit.core.schema.SystemField;
import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.administration.TokenTest;
import dev.conduit.core.config.ConfiguredSystems;
import dev.conduit.web.json.JsonFields;
import dev.conduit.web.json.SharedJson;
import dev.conduit.web.problem.Problem;
import dev.conduit.web.problem.ProblemException;
import dev.conduit.web.system.SystemJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves connected systems between environments. An export is one JSON document: {@code package} (the systems without
 * secrets, tokens or statuses) and {@code customization} (the per-environment values as a properties file). An import
 * takes both back and is all-or-nothing: everything is validated before anything is written, and a failure while
 * writing undoes what was written.
 */
public final class SystemTransfer {

    public static final String FORMAT = "conduit-export/1";

    private static final Logger LOG = Logger.getLogger(SystemTransfer.class.getName());

    private final SystemAdministration admin;
    private final Clock clock;

    public SystemTransfer(SystemAdministration admin, Clock clock) {
        this.admin = admin;
        this.clock = clock;
    }

    /**
     * Every stored connected system: {@code {format, exportedAt, package: {systems: [...]}, customization: "...",
     * notExported: [...]}}. Systems declared in configuration are left out and listed in {@code notExported}: each
     * environment declares them in its own {@code conduit.systems.<name>.*} properties, and an exported copy would be
     * refused on import wherever the same name is declared.
     */
    public JsonObject export() {
        List<ConnectedSystem> systems = new ArrayList<>();
        JsonArrayBuilder notExported = SharedJson.createArrayBuilder();
        for (ConnectedSystem system : admin.list()) {
            if (admin.isDeclaredInConfiguration(system.name())) {
                notExported.add(SharedJson.createObjectBuilder().add("name", system.name())
                        .add("source", "configuration")
                        .add("reason", "declared in configuration: set the properties "
                                + ConfiguredSystems.prefix(system.name()) + "* in the target environment"));
            } else {
                systems.add(system);
            }
        }
        JsonArrayBuilder array = SharedJson.createArrayBuilder();
        systems.forEach(s -> array.add(SystemJson.writeForExport(s)));
        var now = clock.instant();
        return SharedJson.createObjectBuilder()
                .add("format", FORMAT)
                .add("exportedAt", now.toString())
                .add("package", SharedJson.createObjectBuilder().add("systems", array))
                .add("customization", Customization.write(systems, now))
                .add("notExported", notExported)
                .build();
    }

    /** One system's outcome of an import. */
    public record Imported(ConnectedSystem system, boolean created, Optional<dev.conduit.core.administration.TokenTest> tokenTest) {
    }

    /**
     * Imports a package with its customization ({@code customization} is the properties text, or an object of the same
     * keys). Systems that exist are replaced, the others created.
     *
     * @throws ProblemException {@code MISSING_IMPORT_VALUES} listing every required key left empty; nothing is written
     * @throws ConduitException naming the system and field of the first invalid value; nothing is written
     */
    public List<Imported> importPackage(JsonObject request) {
        JsonFields in = JsonFields.of(request).allowOnly(Set.of("format", "exportedAt", "package", "customization",
                "notExported"));
        String format = in.string("format");
        if (format != null && !format.equals(FORMAT)) {
            throw in.invalid("format", "'" + format + "' is not supported; expected " + FORMAT);
        }
        JsonFields pkg = in.object("package");
        if (pkg == null) {
            throw in.invalid("package", "is required: the package of an export");
        }
        pkg.allowOnly(Set.of("systems"));
        JsonArray systems = pkg.array("systems");
        if (systems == null) {
            throw pkg.invalid("systems", "is required: a list of connected systems");
        }
        Map<String, JsonObject> documents = documents(systems);
        Map<String, String> values = customization(in);
        Map<String, Map<String, String>> overrides = assign(values, documents.keySet());
        requireSecrets(documents, overrides);

        List<ConnectedSystem> prepared = new ArrayList<>();
        for (Map.Entry<String, JsonObject> e : documents.entrySet()) {
            prepared.add(prepare(e.getKey(), e.getValue(), overrides.getOrDefault(e.getKey(), Map.of())));
        }
        return write(prepared);
    }

    private Map<String, JsonObject> documents(JsonArray systems) {
        Map<String, JsonObject> documents = new LinkedHashMap<>();
        for (int i = 0; i < systems.size(); i++) {
            String field = "package.systems[" + i + "]";
            if (!(systems.get(i) instanceof JsonObject system)) {
                throw invalid(field, "must be a connected system object");
            }
            JsonValue name = system.get("name");
            if (name == null || name.getValueType() != JsonValue.ValueType.STRING) {
                throw invalid(field + ".name", "is required");
            }
            String systemName = system.getString("name");
            if (documents.putIfAbsent(systemName, system) != null) {
                throw invalid(field + ".name", "'" + systemName + "' appears twice in the package");
            }
        }
        return documents;
    }

    private static Map<String, String> customization(JsonFields in) {
        if (!in.has("customization")) {
            return Map.of();
        }
        JsonValue raw = in.json().get("customization");
        if (raw.getValueType() == JsonValue.ValueType.STRING) {
            return Customization.parse(in.string("customization"));
        }
        Map<String, String> map = in.stringMap("customization");
        return map;
    }

    /** Splits {@code <system>.<field>} keys by system; a key naming no system or no known field is refused. */
    private static Map<String, Map<String, String>> assign(Map<String, String> values, Set<String> systemNames) {
        List<String> byLength = new ArrayList<>(systemNames);
        byLength.sort(Comparator.comparingInt(String::length).reversed());
        Map<String, Map<String, String>> bySystem = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            Optional<String> system = byLength.stream().filter(n -> key.startsWith(n + ".")).filter(
                    n -> isField(key.substring(n.length() + 1))).findFirst();
            if (system.isEmpty()) {
                throw invalid("customization." + key, "is not <system>.<field> for a system of the package and one of "
                        + String.join(", ", Customization.FIELDS) + " or variables.<name>");
            }
            bySystem.computeIfAbsent(system.get(), n -> new LinkedHashMap<>())
                    .put(key.substring(system.get().length() + 1), e.getValue());
        }
        return bySystem;
    }

    private static boolean isField(String field) {
        return Customization.FIELDS.contains(field)
                || field.startsWith(Customization.VARIABLES) && field.length() > Customization.VARIABLES.length();
    }

    /** Every secret the package needs must have a value: the client secret where one was set, each secret variable. */
    private static void requireSecrets(Map<String, JsonObject> documents, Map<String, Map<String, String>> overrides) {
        Set<String> missing = new LinkedHashSet<>();
        documents.forEach((name, doc) -> {
            Map<String, String> values = overrides.getOrDefault(name, Map.of());
            for (SystemField secret : SystemFields.secrets()) {
                if (doc.getBoolean(secret.name() + "Required", false) && blank(values.get(secret.name()))) {
                    missing.add(name + "." + secret.name());
                }
            }
            JsonValue variables = doc.get("variables");
            if (variables instanceof JsonObject vars) {
                vars.forEach((variable, definition) -> {
                    if (definition instanceof JsonObject d && d.getBoolean("secret", false)
                            && blank(values.get(Customization.VARIABLES + variable))) {
                        missing.add(name + "." + Customization.VARIABLES + variable);
                    }
                });
            }
        });
        if (!missing.isEmpty()) {
            JsonArrayBuilder keys = SharedJson.createArrayBuilder();
            missing.forEach(keys::add);
            throw new ProblemException(Problem.of(ErrorCode.MISSING_IMPORT_VALUES,
                    "customization: " + missing.size() + " required value" + (missing.size() == 1 ? " is" : "s are")
                            + " empty: " + String.join(", ", missing) + "; nothing was imported")
                    .withField("customization").with("missingKeys", keys.build()));
        }
    }

    /** The system as it will be stored: the package's values, overridden by the customization, validated. */
    private ConnectedSystem prepare(String name, JsonObject document, Map<String, String> values) {
        // checked before anything is written: the import stays all or nothing
        admin.requireWritable(name);
        JsonObjectBuilder merged = SharedJson.createObjectBuilder(document);
        JsonObjectBuilder variables = SharedJson.createObjectBuilder(
                document.get("variables") instanceof JsonObject v ? v : JsonValue.EMPTY_JSON_OBJECT);
        JsonObject declared = document.get("variables") instanceof JsonObject v ? v : JsonValue.EMPTY_JSON_OBJECT;
        values.forEach((field, value) -> {
            if (field.startsWith(Customization.VARIABLES)) {
                String variable = field.substring(Customization.VARIABLES.length());
                boolean secret = declared.get(variable) instanceof JsonObject d && d.getBoolean("secret", false);
                variables.add(variable, SharedJson.createObjectBuilder().add("secret", secret).add("value", value));
            } else if (value.isBlank() && !SystemFields.byName(field).map(SystemField::secret).orElse(false)) {
                merged.remove(field);
            } else if (!value.isBlank()) {
                merged.add(field, value);
            }
        });
        merged.add("variables", variables);
        SystemFields.secrets().forEach(secret -> merged.remove(secret.name() + "Required"));
        try {
            ConnectedSystem system = SystemJson.read(merged.build(), null, Optional.empty());
            admin.validate(system);
            Optional<ConnectedSystem> stored = admin.find(name);
            return stored.isPresent() ? system.toBuilder().version(stored.get().version()).build() : system;
        } catch (ConduitException e) {
            throw ConduitException.builder(e.code(), name + ": " + e.getMessage())
                    .field(name + "." + e.field().orElse("")).oauthError(e.oauthError().orElse(null)).build();
        }
    }

    /** Writes every prepared system; on a failure, undoes the writes already made and rethrows. */
    private List<Imported> write(List<ConnectedSystem> prepared) {
        List<Imported> done = new ArrayList<>();
        Map<String, ConnectedSystem> previous = new LinkedHashMap<>();
        try {
            for (ConnectedSystem system : prepared) {
                Optional<ConnectedSystem> stored = admin.find(system.name());
                if (stored.isPresent()) {
                    previous.put(system.name(), stored.get());
                    SystemAdministration.Saved saved = admin.update(system);
                    done.add(new Imported(saved.system(), false, saved.tokenTest()));
                } else {
                    SystemAdministration.Saved saved = admin.create(system);
                    done.add(new Imported(saved.system(), true, saved.tokenTest()));
                }
            }
            return done;
        } catch (RuntimeException e) {
            undo(done, previous);
            throw e;
        }
    }

    private void undo(List<Imported> done, Map<String, ConnectedSystem> previous) {
        for (Imported imported : done) {
            String name = imported.system().name();
            try {
                if (imported.created()) {
                    admin.delete(name);
                } else {
                    ConnectedSystem current = admin.get(name);
                    admin.update(previous.get(name).toBuilder().version(current.version()).build());
                }
            } catch (RuntimeException undoFailure) {
                LOG.log(Level.SEVERE, "import rollback could not restore connected system ''{0}'': {1}",
                        new Object[] {name, undoFailure});
            }
        }
    }

    private static ConduitException invalid(String field, String message) {
        return ConduitException.builder(ErrorCode.INVALID_REQUEST, field + ": " + message).field(field).build();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
