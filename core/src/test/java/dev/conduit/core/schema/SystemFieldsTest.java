package dev.conduit.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import dev.conduit.core.config.ConfigLookup;
import dev.conduit.core.config.ConfiguredSystems;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.TestSystems;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemFieldsTest {

    private final HostileTokenServer server = HostileTokenServer.start();
    private final ConnectedSystem every = TestSystems.everyField(server).build();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void everyFieldFixtureWhenComparedWithDefaultsThenEveryCatalogueFieldDiffers() {
        ConnectedSystem minimal = ConnectedSystem.builder().name("m").grantType("client_credentials")
                .tokenEndpoint("https://idp.example.com/token").clientId("c").build();

        for (SystemField field : SystemFields.all()) {
            Object fixture = field.binding().isPresent() ? field.get(every)
                    : field.name().startsWith("template.") ? every.template() : every.variables();
            Object fallback = field.binding().isPresent() ? field.get(minimal)
                    : field.name().startsWith("template.") ? minimal.template() : minimal.variables();
            assertThat(fixture).as(field.name() + " must be set to a value other than its default").isNotNull()
                    .isNotEqualTo(fallback);
        }
    }

    @Test
    void toBuilderWhenEveryFieldSetThenEqualSystem() {
        ConnectedSystem copy = every.toBuilder().build();

        assertThat(copy).isEqualTo(every);
        assertThat(copy.tokenIdentity()).isEqualTo(every.tokenIdentity());
        assertThat(copy.lifecycle()).isEqualTo(every.lifecycle());
        for (SystemField field : SystemFields.all()) {
            if (field.binding().isPresent()) {
                assertThat(field.get(copy)).as(field.name()).isEqualTo(field.get(every));
            }
        }
    }

    @Test
    void setWhenEveryFieldCopiedThroughTheCatalogueThenEqualSystem() {
        ConnectedSystem.Builder builder = ConnectedSystem.builder();
        for (SystemField field : SystemFields.all()) {
            if (field.binding().isPresent()) {
                field.set(builder, field.get(every));
            }
        }

        ConnectedSystem copy = builder.variables(every.variables()).template(every.template().orElseThrow())
                .version(every.version()).build();

        assertThat(copy).isEqualTo(every);
    }

    @Test
    void configKeysWhenEveryFieldWrittenAndReadBackThenEqualSystem() {
        Map<String, String> properties = new LinkedHashMap<>();
        String prefix = ConfiguredSystems.prefix(every.name());
        for (SystemField field : SystemFields.all()) {
            if (field.name().equals("name") || field.binding().isEmpty()) {
                continue;
            }
            if (field.type() == FieldType.MAP) {
                @SuppressWarnings("unchecked")
                Map<String, String> map = (Map<String, String>) field.get(every);
                map.forEach((k, v) -> properties.put(prefix + field.configKey() + "." + k, v));
            } else {
                properties.put(prefix + field.configKey(), field.text(every));
            }
        }
        for (Variable v : every.variables().values()) {
            properties.put(prefix + (v.secret() ? "secret-variables." : "variables.") + v.name(), v.reveal());
        }

        ConnectedSystem read = new ConfiguredSystems(lookup(properties)).find(every.name()).orElseThrow();

        // configuration records no provider template: a declared system is not created from one
        assertThat(read).isEqualTo(every.toBuilder().template(null).version(1).build());
    }

    @Test
    void configKeysWhenFieldHasWrongValueThenErrorNamesItsProperty() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("conduit.systems.orders.grant-type", "client_credentials");
        properties.put("conduit.systems.orders.token-endpoint", "https://idp.example.com/token");
        properties.put("conduit.systems.orders.client-id", "c");
        properties.put("conduit.systems.orders.default-token-lifetime", "soon");

        assertThatThrownBy(() -> new ConfiguredSystems(lookup(properties)).find("orders"))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("conduit.systems.orders.default-token-lifetime");
                });
    }

    @Test
    void catalogueWhenReadThenNamesAndConfigKeysUniqueAndUrlsAreTheEndpointsIssuerAndBaseUrl() {
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (SystemField field : SystemFields.all()) {
            assertThat(names.add(field.name())).as("name " + field.name()).isTrue();
            assertThat(keys.add(field.configKey())).as("config key " + field.configKey()).isTrue();
            assertThat(field.help()).as(field.name()).isNotBlank();
        }
        assertThat(SystemFields.urls()).extracting(SystemField::name).containsExactly("tokenEndpoint",
                "authorizationEndpoint", "revocationEndpoint", "introspectionEndpoint", "issuer", "integrationBaseUrl");
        assertThat(SystemFields.secrets()).extracting(SystemField::name)
                .containsExactly("clientSecret", "clientAssertionKey");
        assertThat(SystemFields.perEnvironment()).extracting(SystemField::name).containsAll(List.of("tokenEndpoint",
                "clientId", "scope", "integrationBaseUrl", "clientSecret", "variables"));
    }

    private static ConfigLookup lookup(Map<String, String> properties) {
        return new ConfigLookup() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(properties.get(key));
            }

            @Override
            public Set<String> names() {
                return properties.keySet();
            }
        };
    }
}
