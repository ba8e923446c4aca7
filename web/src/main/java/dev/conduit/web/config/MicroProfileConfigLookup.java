package dev.conduit.web.config;

import dev.conduit.api.ConduitException;
import dev.conduit.core.config.ConfigLookup;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * {@link ConfigLookup} over MicroProfile Config: every read goes to the {@link Config}, so environment variables
 * (e.g. {@code CONDUIT_SYSTEMS_ORDERS_CLIENT_ID} for {@code conduit.systems.orders.client-id}) override properties and
 * property expressions such as {@code ${ORDERS_CLIENT_SECRET}} resolve at use.
 *
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-config-3.1/microprofile-config-spec-3.1.html#default_configsources.env.mapping">
 *      MicroProfile Config 3.1, environment variable mapping</a>
 */
public final class MicroProfileConfigLookup implements ConfigLookup {

    private final Config config;

    public MicroProfileConfigLookup(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The value, expressions expanded. An expression naming a property or environment variable that is not set is
     * {@code INVALID_CONFIGURATION} naming the key, never a bare {@link NoSuchElementException}.
     */
    @Override
    public Optional<String> get(String key) {
        try {
            return config.getOptionalValue(key, String.class);
        } catch (NoSuchElementException | IllegalArgumentException e) {
            // the exception text may quote the raw value; the key alone is safe to show
            throw ConduitException.invalidField(key, "refers to a property or environment variable that is not set "
                    + "(a ${...} expression that cannot be expanded); set it, or write a literal $ as \\$");
        }
    }

    @Override
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        config.getPropertyNames().forEach(names::add);
        return names;
    }
}
