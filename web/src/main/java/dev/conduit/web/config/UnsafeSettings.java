package dev.conduit.web.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings that make a demo convenient and a production server unsafe, each named with how to turn it off. The
 * start-up log warns once per setting that is on, so that a server started from the demo configuration says so.
 */
public final class UnsafeSettings {

    /** The demo logins of server.xml: the key of each one's password, and its published default. */
    private static final Map<String, String> DEMO_PASSWORDS = Map.of("conduit.admin.password", "admin-pass",
            "conduit.alice.password", "alice-pass", "conduit.bob.password", "bob-pass",
            "conduit.operator.password", "operator-pass");

    static final String METRICS_AUTHENTICATION = "conduit.metrics.authentication";

    private UnsafeSettings() {
    }

    /**
     * One warning per unsafe setting that is on, in a stable order; empty when the configuration is safe. A warning
     * names the key, never a value other than a published demo default.
     *
     * @param config a configuration key's value, as MicroProfile Config resolves it (server.xml variables included)
     */
    public static List<String> warnings(Function<String, Optional<String>> config) {
        List<String> warnings = new ArrayList<>();
        if (isTrue(config.apply(ConduitSettings.ALLOW_LOOPBACK_HTTP))) {
            warnings.add(ConduitSettings.ALLOW_LOOPBACK_HTTP + "=true: connected systems may use plain http endpoints "
                    + "on this machine (development and tests only). Production: set "
                    + "CONDUIT_ENDPOINTS_ALLOW_LOOPBACK_HTTP=false, or remove its line from server.xml");
        }
        if (config.apply(METRICS_AUTHENTICATION).map(v -> v.strip().equalsIgnoreCase("false")).orElse(false)) {
            warnings.add(METRICS_AUTHENTICATION + "=false: /metrics is served to anyone, on http too. Production: "
                    + "leave CONDUIT_METRICS_AUTHENTICATION unset (true) unless only the scraper reaches the port");
        }
        DEMO_PASSWORDS.keySet().stream().sorted().forEach(key -> {
            String user = key.split("\\.")[1];
            if (config.apply(key).map(DEMO_PASSWORDS.get(key)::equals).orElse(false)) {
                warnings.add("the demo login '" + user + "' still has its published password (" + key + "). "
                        + "Production: set CONDUIT_" + user.toUpperCase(Locale.ROOT) + "_PASSWORD, or replace the "
                        + "demo basicRegistry in server.xml with the organisation's registry or OpenID Connect sign-in");
            }
        });
        Optional<String> publicUrl = config.apply(ConduitSettings.PUBLIC_URL).map(String::strip)
                .filter(v -> !v.isEmpty());
        if (publicUrl.map(url -> !url.toLowerCase(Locale.ROOT).startsWith("https://")).orElse(true)) {
            warnings.add(ConduitSettings.PUBLIC_URL + (publicUrl.isPresent() ? " is not https" : " is not set")
                    + ": the console's session cookie is not marked Secure and redirect URIs follow each request. "
                    + "Production: set CONDUIT_PUBLIC_URL=https://<the host people and providers reach>");
        }
        return warnings;
    }

    private static boolean isTrue(Optional<String> value) {
        return value.map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
    }
}
