package dev.conduit.core.config;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.schema.FieldType;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import dev.conduit.api.system.Variable;
import dev.conduit.core.cache.ExpiringMap;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Connected systems declared in configuration under {@code conduit.systems.<name>.*}: read again on every lookup, so
 * environment variables override them per environment and a secret given as a reference (an MP Config expression such
 * as {@code ${ORDERS_CLIENT_SECRET}}, which reads another key or an environment variable) is resolved at use and never
 * stored.
 *
 * <p>The names come from {@code conduit.systems.names} (comma-separated) when set, else from the property names that
 * end in {@code .grant-type}. Each field of {@link SystemFields} has its key ({@link SystemField#configKey()}, in kebab
 * case: {@code token-endpoint}, {@code max-wait} ...); a map's entries are keys under its prefix
 * ({@code extra-query.<k>}), variables are {@code variables.<n>} and {@code secret-variables.<n>}. Durations are
 * ISO-8601 ({@code PT30S}) or seconds.
 */
public final class ConfiguredSystems {

    public static final String PREFIX = "conduit.systems.";
    public static final String NAMES = PREFIX + "names";

    /**
     * The most names whose answer {@link #declares} remembers (any caller can ask about any name); past it a new
     * name's answer is not remembered until a remembered one expires.
     */
    static final int MAX_REMEMBERED = 1024;

    private final ConfigLookup config;
    private final ExpiringMap<String, Boolean> answers;

    /** Asks the configuration on every lookup. */
    public ConfiguredSystems(ConfigLookup config) {
        this(config, Clock.systemUTC(), Duration.ZERO);
    }

    /**
     * Remembers for {@code remember} whether a name is declared. That question is asked several times on every call
     * of every system, and for a stored system each answer is a miss that MicroProfile Config looks for in every
     * source. A system declared or removed in configuration while the server runs is seen after at most that time;
     * a declared system's fields are still read at each use, and a change through the API always asks again.
     */
    public ConfiguredSystems(ConfigLookup config, Clock clock, Duration remember) {
        this.config = Objects.requireNonNull(config, "config");
        this.answers = new ExpiringMap<>(clock, remember, MAX_REMEMBERED);
    }

    /** The names of the systems declared, sorted. */
    public Set<String> names() {
        Optional<String> listed = config.get(NAMES);
        if (listed.isPresent()) {
            return Arrays.stream(listed.get().split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        return config.names().stream()
                .filter(key -> key.startsWith(PREFIX) && key.endsWith(".grant-type"))
                .map(key -> key.substring(PREFIX.length(), key.length() - ".grant-type".length()))
                .filter(name -> !name.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Whether configuration declares the system. Asked on every call of every system, so it reads one or two
     * properties rather than scanning every property name.
     */
    public boolean declares(String name) {
        if (name == null) {
            return declaredNow(null);
        }
        Optional<Boolean> known = answers.get(name);
        if (known.isPresent()) {
            return known.get();
        }
        boolean declared = declaredNow(name);
        answers.put(name, declared);
        return declared;
    }

    private boolean declaredNow(String name) {
        if (config.get(NAMES).isPresent()) {
            return names().contains(name);
        }
        return name != null && !name.isEmpty() && config.get(prefix(name) + "grant-type").isPresent();
    }

    /**
     * Refuses a change to a system declared in configuration, the one place that says so: {@code READ_ONLY_SYSTEM}
     * (409), naming the properties and the environment variables to change instead.
     */
    public void requireWritable(String name) {
        if (declaredNow(name)) {
            throw readOnly(name);
        }
    }

    private static ConduitException readOnly(String name) {
        String prefix = prefix(name);
        return ConduitException.builder(ErrorCode.READ_ONLY_SYSTEM, "connected system '" + name
                + "' is defined in configuration: change the properties " + prefix + "* (for example "
                + prefix + "client-id, or the environment variable "
                + prefix.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "CLIENT_ID) instead")
                .field(prefix + "*").system(name).build();
    }

    /** The property prefix an administrator changes for this system. */
    public static String prefix(String name) {
        return PREFIX + name + ".";
    }

    /** The property that holds a field of a declared system: {@code tokenEndpoint} -> {@code conduit.systems.<name>.token-endpoint}. */
    public static String property(String name, String field) {
        return prefix(name) + kebab(field);
    }

    /** Every declared system, read now. An invalid one is an error naming its property. */
    public List<ConnectedSystem> all() {
        return names().stream().map(this::read).toList();
    }

    /** The declared system of that name, read now. */
    public Optional<ConnectedSystem> find(String name) {
        return declares(name) ? Optional.of(read(name)) : Optional.empty();
    }

    /** Reads each field of {@link SystemFields} from its key; the maps from the keys under their prefix. */
    private ConnectedSystem read(String name) {
        String prefix = prefix(name);
        ConnectedSystem.Builder b = ConnectedSystem.builder().name(name).version(1);
        try {
            for (SystemField field : SystemFields.all()) {
                if (field.name().equals("name") || field.binding().isEmpty()) {
                    continue;
                }
                String key = field.configKey();
                if (field.type() == FieldType.MAP) {
                    field.set(b, map(prefix + key + "."));
                    continue;
                }
                Optional<String> value = config.get(prefix + key);
                if (field.required() && value.filter(v -> !v.isBlank()).isEmpty()) {
                    throw ConduitException.invalidField(key, "is required");
                }
                // text is taken as written (the builder strips it); other kinds of value ignore a blank one
                boolean text = field.type() == FieldType.STRING || field.type() == FieldType.URL;
                value.filter(v -> text || !v.isBlank()).ifPresent(v -> parse(key, v, field, b));
            }
            map(prefix + "variables.").forEach((k, v) -> b.variable(Variable.plain(k, v)));
            map(prefix + "secret-variables.").forEach((k, v) -> b.variable(Variable.secret(k, Secret.of(v))));
            return b.build();
        } catch (ConduitException e) {
            if (e.code() != ErrorCode.INVALID_CONFIGURATION && e.code() != ErrorCode.UNKNOWN_VARIABLE) {
                throw e;
            }
            String property = prefix + kebab(e.field().orElse("?"));
            throw ConduitException.builder(e.code(), property + ": " + e.getMessage()).field(property).build();
        }
    }

    private static void parse(String key, String value, SystemField field, ConnectedSystem.Builder builder) {
        boolean text = field.type() == FieldType.STRING || field.type() == FieldType.URL;
        try {
            field.setText(builder, text || field.secret() ? value : value.strip());
        } catch (ConduitException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ConduitException.invalidField(key, "cannot be read from '" + value + "'");
        }
    }

    /** The keys under {@code prefix}, without it, with their values. */
    private Map<String, String> map(String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        config.names().stream().filter(k -> k.startsWith(prefix) && k.length() > prefix.length()).sorted()
                .forEach(k -> config.get(k).ifPresent(v -> values.put(k.substring(prefix.length()), v)));
        return values;
    }

    /**
     * The key of a field, by {@link SystemFields}: {@code tokenEndpoint} -> {@code token-endpoint},
     * {@code extraQueryParameters.aud} -> {@code extra-query.aud}; a field the catalogue does not name (a part of a
     * value, such as {@code retryPolicy.maxWait}) by its last segment in kebab case.
     */
    static String kebab(String field) {
        for (SystemField f : SystemFields.all()) {
            if (field.equals(f.name()) || field.startsWith(f.name() + ".")) {
                return f.configKey() + field.substring(f.name().length());
            }
        }
        return field.substring(field.lastIndexOf('.') + 1).replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .toLowerCase(Locale.ROOT);
    }
}
