package dev.conduit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.testing.MutableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfiguredSystemsTest {

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final Map<String, String> properties = new HashMap<>(Map.of(
            "conduit.systems.orders.grant-type", "client_credentials",
            "conduit.systems.orders.token-endpoint", "https://idp.example.com/realms/acme/token",
            "conduit.systems.orders.client-id", "orders-client",
            "conduit.systems.orders.client-secret", "secret-from-env-1234",
            "conduit.systems.orders.scope", "orders.read",
            "conduit.systems.orders.max-attempts", "5",
            "conduit.systems.orders.max-wait", "PT30S",
            "conduit.systems.orders.variables.tenant", "acme",
            "conduit.systems.orders.extra-form.audience", "urn:${tenant}",
            "conduit.systems.orders.client-auth-method", "client_secret_post"));

    private final ConfigLookup lookup = new ConfigLookup() {
        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(properties.get(key));
        }

        @Override
        public Set<String> names() {
            return Set.copyOf(properties.keySet());
        }
    };

    private final ConfiguredSystems configured = new ConfiguredSystems(lookup);

    @Test
    void findWhenPropertiesDeclareSystemThenEveryFieldRead() {
        ConnectedSystem system = configured.find("orders").orElseThrow();

        assertThat(configured.names()).containsExactly("orders");
        assertThat(system.client().id()).isEqualTo("orders-client");
        assertThat(system.client().secret().orElseThrow().reveal()).isEqualTo("secret-from-env-1234");
        assertThat(system.client().method()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_POST);
        assertThat(system.lifecycle().retryPolicy().maxAttempts()).isEqualTo(5);
        assertThat(system.lifecycle().retryPolicy().maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(system.variables().get("tenant").reveal()).isEqualTo("acme");
        assertThat(system.tokenRequest().extraFormParameters()).containsEntry("audience", "urn:${tenant}");
    }

    @Test
    void findWhenValueChangesThenReadAgainAtUse() {
        configured.find("orders");
        properties.put("conduit.systems.orders.client-secret", "rotated-secret-5678");

        assertThat(configured.find("orders").orElseThrow().client().secret().orElseThrow().reveal())
                .isEqualTo("rotated-secret-5678");
    }

    @Test
    void findWhenValueInvalidThenErrorNamesProperty() {
        properties.put("conduit.systems.orders.token-endpoint", "not a url");

        assertThatThrownBy(() -> configured.find("orders")).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
            assertThat(e.field()).contains("conduit.systems.orders.token-endpoint");
        });
        properties.put("conduit.systems.orders.token-endpoint", "https://idp.example.com/token");
        properties.put("conduit.systems.orders.max-attempts", "many");
        assertThatThrownBy(() -> configured.find("orders")).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.field()).contains("conduit.systems.orders.max-attempts"));
    }

    @Test
    void layeredFindAllWhenNamesDifferOnlyInCaseThenStoredOrderKept() {
        InMemoryConnectedSystemRepository stored = new InMemoryConnectedSystemRepository(clock);
        stored.create(configured.find("orders").orElseThrow().toBuilder().name("Orders").build());
        LayeredSystemRepository systems = new LayeredSystemRepository(configured, stored, clock);

        assertThat(systems.findAll()).extracting(ConnectedSystem::name).containsExactly("Orders", "orders");
    }

    @Test
    void layeredWhenDeclaredSystemEditedThenReadOnlyNamesProperty() {
        LayeredSystemRepository systems = new LayeredSystemRepository(configured,
                new InMemoryConnectedSystemRepository(clock), clock);
        ConnectedSystem declared = systems.find("orders").orElseThrow();

        assertThatThrownBy(() -> systems.update(declared.toBuilder().scope("orders.write").build()))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.READ_ONLY_SYSTEM);
                    assertThat(e.code().httpStatus()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("conduit.systems.orders.").contains("CONDUIT_SYSTEMS_ORDERS_");
                });
        assertThatThrownBy(() -> systems.delete("orders")).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.READ_ONLY_SYSTEM));
        assertThatThrownBy(() -> systems.create(declared)).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.READ_ONLY_SYSTEM));
    }

    @Test
    void layeredWhenStoredAndDeclaredThenBothListedAndStatusKept() {
        InMemoryConnectedSystemRepository stored = new InMemoryConnectedSystemRepository(clock);
        LayeredSystemRepository systems = new LayeredSystemRepository(configured, stored, clock);
        systems.create(configured.find("orders").orElseThrow().toBuilder().name("billing").version(0).build());

        systems.setStatus("orders", SystemStatus.error(ErrorCode.INVALID_CLIENT, "wrong secret", clock.instant()));

        assertThat(systems.findAll()).extracting(ConnectedSystem::name).containsExactly("billing", "orders");
        assertThat(systems.status("orders").code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        assertThat(systems.status("billing").isOk()).isTrue();
        assertThat(configured.declares("orders")).isTrue();
        assertThat(configured.declares("billing")).isFalse();
    }

    @Test
    void namesWhenListedExplicitlyThenThatList() {
        properties.put("conduit.systems.names", "orders, billing");

        assertThat(configured.names()).containsExactly("billing", "orders");
    }

    @Test
    void declaresWhenRememberingThenConfigurationAskedOncePerLifetimeAndChangesSeenAfterIt() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        ConfiguredSystems remembering = new ConfiguredSystems(counting(asked), clock, Duration.ofSeconds(2));

        for (int i = 0; i < 5; i++) {
            assertThat(remembering.declares("orders")).isTrue();
            assertThat(remembering.declares("stored-one")).isFalse();
        }
        assertThat(asked).containsExactly("conduit.systems.names", "conduit.systems.orders.grant-type",
                "conduit.systems.names", "conduit.systems.stored-one.grant-type");

        properties.put("conduit.systems.stored-one.grant-type", "client_credentials");
        assertThat(remembering.declares("stored-one")).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(remembering.declares("stored-one")).isTrue();
        assertThat(asked).hasSize(6);
    }

    @Test
    void requireWritableWhenRememberedAsNotDeclaredButDeclaredSinceThenReadOnlySystem() {
        ConfiguredSystems remembering = new ConfiguredSystems(lookup, clock, Duration.ofSeconds(2));
        assertThat(remembering.declares("billing")).isFalse();

        properties.put("conduit.systems.billing.grant-type", "client_credentials");

        assertThatThrownBy(() -> remembering.requireWritable("billing")).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.READ_ONLY_SYSTEM));
    }

    @Test
    void declaresWhenManyUnknownNamesAskedThenKnownAnswersKeptAndNewOnesAskedEachTimeUntilSomeExpire() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        ConfiguredSystems remembering = new ConfiguredSystems(counting(asked), clock, Duration.ofSeconds(2));
        assertThat(remembering.declares("orders")).isTrue();
        for (int i = 1; i < ConfiguredSystems.MAX_REMEMBERED; i++) {
            assertThat(remembering.declares("unknown-" + i)).isFalse();
        }
        asked.clear();

        assertThat(remembering.declares("one-too-many")).isFalse();
        assertThat(remembering.declares("one-too-many")).isFalse();
        assertThat(remembering.declares("orders")).isTrue();

        assertThat(asked).as("the new name asked each time, the known one not at all").containsExactly(
                "conduit.systems.names", "conduit.systems.one-too-many.grant-type",
                "conduit.systems.names", "conduit.systems.one-too-many.grant-type");
        clock.advance(Duration.ofSeconds(2));
        asked.clear();
        assertThat(remembering.declares("one-too-many")).isFalse();
        assertThat(remembering.declares("one-too-many")).isFalse();
        assertThat(asked).as("remembered once the others expired").hasSize(2);
    }

    /** The properties, noting each key asked for in {@code asked}. */
    private ConfigLookup counting(java.util.List<String> asked) {
        return new ConfigLookup() {
            @Override
            public Optional<String> get(String key) {
                asked.add(key);
                return lookup.get(key);
            }

            @Override
            public Set<String> names() {
                return lookup.names();
            }
        };
    }
}
