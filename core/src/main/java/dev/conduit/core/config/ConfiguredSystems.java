package dev.conduit.core.config;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.BodyFormat;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.RetryPolicy;
import dev.conduit.api.system.Variable;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Connected systems declared in configuration under {@code conduit.systems.<name>.*}: read again on every lookup, so
 * environment variables override them per environment and a secret given as a reference (an MP Config expression such
 * as {@code ${ORDERS_CLIENT_SECRET}}, which reads another key or an environment variable) is resolved at use and never
 * stored.
 *
 * <p>The names come from {@code conduit.systems.names} (comma-separated) when set, else from the property names that
 * end in {@code .grant-type}. Keys, in kebab case: {@code grant-type}, {@code token-endpoint}, {@code client-id},
 * {@code client-secret}, {@code scope}, {@code authorization-endpoint}, {@code revocation-endpoint},
 * {@code introspection-endpoint}, {@code issuer}, {@code issuer-parameter-supported}, {@code integration-base-url},
 * {@code client-auth-method}, {@code client-assertion-key}, {@code client-assertion-key-id}, {@code include-scope},
 * {@code max-attempts}, {@code max-wait}, {@code token-rejected-statuses}, {@code token-response-key},
 * {@code body-format}, {@code default-token-lifetime}, {@code refresh-ahead}, {@code description}, {@code category},
 * and the maps {@code variables.<n>}, {@code secret-variables.<n>}, {@code extra-query.<k>}, {@code extra-form.<k>},
 * {@code extra-header.<k>}. Durations are ISO-8601 ({@code PT30S}) or seconds.
 */
public final class ConfiguredSystems {

    public static final String PREFIX = "conduit.systems.";
    public static final String NAMES = PREFIX + "names";

    private final ConfigLookup config;

    public ConfiguredSystems(ConfigLookup config) {
        this.config = Objects.requireNonNull(config, "config");
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
        if (declares(name)) {
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

    private ConnectedSystem read(String name) {
        String prefix = prefix(name);
        ConnectedSystem.Builder b = ConnectedSystem.builder().name(name).version(1);
        try {
            b.grantType(required(prefix, "grant-type"));
            b.clientId(required(prefix, "client-id"));
            string(prefix, "token-endpoint", b::tokenEndpoint);
            string(prefix, "authorization-endpoint", b::authorizationEndpoint);
            string(prefix, "revocation-endpoint", b::revocationEndpoint);
            string(prefix, "introspection-endpoint", b::introspectionEndpoint);
            string(prefix, "issuer", b::issuer);
            string(prefix, "integration-base-url", b::integrationBaseUrl);
            string(prefix, "description", b::description);
            string(prefix, "category", b::category);
            string(prefix, "scope", b::scope);
            string(prefix, "token-response-key", b::tokenResponseKey);
            string(prefix, "client-assertion-key-id", b::clientAssertionKeyId);
            config.get(prefix + "client-secret").filter(v -> !v.isBlank()).map(Secret::of).ifPresent(b::clientSecret);
            config.get(prefix + "client-assertion-key").filter(v -> !v.isBlank()).map(Secret::of)
                    .ifPresent(b::clientAssertionKey);
            parsed(prefix, "client-auth-method", ClientAuthMethod::fromWireName, b::clientAuthMethod);
            parsed(prefix, "body-format", v -> BodyFormat.valueOf(v.toUpperCase(Locale.ROOT)), b::bodyFormat);
            parsed(prefix, "include-scope", ConfiguredSystems::bool, b::includeScope);
            parsed(prefix, "issuer-parameter-supported", ConfiguredSystems::bool, b::issuerParameterSupported);
            parsed(prefix, "default-token-lifetime", ConfiguredSystems::duration, b::defaultTokenLifetime);
            parsed(prefix, "refresh-ahead", ConfiguredSystems::duration, b::refreshAhead);
            parsed(prefix, "token-rejected-statuses", ConfiguredSystems::statuses, b::tokenRejectedStatuses);
            parsed(prefix, "bearer-token-types", ConfiguredSystems::list, b::bearerTokenTypes);
            int attempts = config.get(prefix + "max-attempts").map(v -> parse("max-attempts", v,
                    Integer::parseInt)).orElse(RetryPolicy.DEFAULT.maxAttempts());
            Duration wait = config.get(prefix + "max-wait").map(v -> parse("max-wait", v,
                    ConfiguredSystems::duration)).orElse(RetryPolicy.DEFAULT.maxWait());
            b.retryPolicy(new RetryPolicy(attempts, wait));
            map(prefix + "variables.").forEach((k, v) -> b.variable(Variable.plain(k, v)));
            map(prefix + "secret-variables.").forEach((k, v) -> b.variable(Variable.secret(k, Secret.of(v))));
            map(prefix + "extra-query.").forEach(b::extraQueryParameter);
            map(prefix + "extra-form.").forEach(b::extraFormParameter);
            map(prefix + "extra-header.").forEach(b::extraHeader);
            b.extraAuthorizationParameters(map(prefix + "extra-authorization."));
            return b.build();
        } catch (ConduitException e) {
            if (e.code() != ErrorCode.INVALID_CONFIGURATION && e.code() != ErrorCode.UNKNOWN_VARIABLE) {
                throw e;
            }
            String property = prefix + kebab(e.field().orElse("?"));
            throw ConduitException.builder(e.code(), property + ": " + e.getMessage()).field(property).build();
        }
    }

    private String required(String prefix, String key) {
        return config.get(prefix + key).filter(v -> !v.isBlank()).orElseThrow(() ->
                ConduitException.invalidField(key, "is required"));
    }

    private void string(String prefix, String key, Consumer<String> setter) {
        config.get(prefix + key).ifPresent(setter);
    }

    private <T> void parsed(String prefix, String key, Function<String, T> parser, Consumer<T> setter) {
        config.get(prefix + key).filter(v -> !v.isBlank()).ifPresent(v -> setter.accept(parse(key, v, parser)));
    }

    private static <T> T parse(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value.strip());
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

    private static boolean bool(String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(value);
        }
        return Boolean.parseBoolean(value);
    }

    static Duration duration(String value) {
        try {
            return value.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(value, e);
        }
    }

    private static Set<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private static Set<Integer> statuses(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code tokenEndpoint} -> {@code token-endpoint}; {@code retryPolicy.maxAttempts} -> {@code max-attempts}. */
    static String kebab(String field) {
        String last = field.startsWith("retryPolicy.") ? field.substring("retryPolicy.".length()) : field;
        return last.replace("extraQueryParameters.", "extra-query.").replace("extraFormParameters.", "extra-form.")
                .replace("extraHeaders.", "extra-header.")
                .replace("extraAuthorizationParameters.", "extra-authorization.").replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .toLowerCase(Locale.ROOT);
    }
}
