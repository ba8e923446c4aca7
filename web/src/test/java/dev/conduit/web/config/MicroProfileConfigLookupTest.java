package dev.conduit.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

class MicroProfileConfigLookupTest {

    /** A Config whose {@code conduit.systems.orders.client-secret} is {@code ${ORDERS_CLIENT_SECRET}}, unset. */
    private static Config config(Map<String, String> values) {
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getOptionalValue" -> {
                        if (args[0].equals("conduit.systems.orders.client-secret")) {
                            // what an MP Config implementation throws for an expression it cannot expand
                            throw new NoSuchElementException("SRCFG00011: Could not expand value ORDERS_CLIENT_SECRET "
                                    + "in property conduit.systems.orders.client-secret=${ORDERS_CLIENT_SECRET}");
                        }
                        yield Optional.ofNullable(values.get((String) args[0]));
                    }
                    case "getPropertyNames" -> List.copyOf(values.keySet());
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void getWhenValueSetThenReturned() {
        MicroProfileConfigLookup lookup = new MicroProfileConfigLookup(
                config(Map.of("conduit.systems.orders.client-id", "orders-client")));

        assertThat(lookup.get("conduit.systems.orders.client-id")).contains("orders-client");
        assertThat(lookup.get("conduit.systems.orders.scope")).isEmpty();
        assertThat(lookup.names()).containsExactly("conduit.systems.orders.client-id");
    }

    @Test
    void getWhenSecretReferenceCannotBeExpandedThenInvalidConfigurationNamingKey() {
        MicroProfileConfigLookup lookup = new MicroProfileConfigLookup(config(Map.of()));

        assertThatThrownBy(() -> lookup.get("conduit.systems.orders.client-secret"))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("conduit.systems.orders.client-secret");
                    assertThat(e.getMessage()).contains("not set").doesNotContain("SRCFG");
                });
    }
}
