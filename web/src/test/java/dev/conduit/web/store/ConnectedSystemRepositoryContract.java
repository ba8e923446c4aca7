package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.api.system.Variable;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.MutableClock;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link JdbcConnectedSystemRepository} does, whatever the database; subclasses supply the database. */
abstract class ConnectedSystemRepositoryContract {

    final MutableClock clock = MutableClock.startingAt("2026-03-01T08:00:00.000001Z");
    final SecretCipher cipher = TestCiphers.fresh();
    DataSource dataSource;
    JdbcConnectedSystemRepository repository;
    ExecutorService threads;

    abstract DataSource database();

    @BeforeEach
    void setUp() {
        dataSource = database();
        TestDatabases.clear(dataSource);
        repository = new JdbcConnectedSystemRepository(dataSource, cipher, clock);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    void createThenFindReturnsEveryFieldAtVersionOne() {
        ConnectedSystem system = StoredSystems.everyField("crm").build();

        ConnectedSystem created = repository.create(system);

        assertThat(created.version()).isEqualTo(1);
        ConnectedSystem found = repository.find("crm").orElseThrow();
        assertThat(found).usingRecursiveComparison().isEqualTo(system.toBuilder().version(1).build());
        assertThat(found).usingRecursiveComparison().isEqualTo(created);
        assertThat(found.client().secret().map(Secret::reveal)).contains(StoredSystems.CLIENT_SECRET);
        assertThat(found.client().assertionKey().map(Secret::reveal)).contains(StoredSystems.ASSERTION_KEY);
        assertThat(found.variables().get("tenantKey").secretValue().reveal())
                .isEqualTo(StoredSystems.SECRET_VARIABLE_VALUE);
        assertThat(found.variables().get("notYetSupplied")).isEqualTo(Variable.secret("notYetSupplied", null));
        // insertion order is configuration the administrator sees: it survives the round trip
        assertThat(found.variables().keySet()).containsExactly("subdomain", "tenantKey", "notYetSupplied", "region");
        assertThat(found.tokenRequest().extraQueryParameters().keySet()).containsExactly("zeta", "audience");
        assertThat(found.tokenRequest().extraFormParameters()).containsEntry("a", "\u00e9t\u00e9 \u2713");
        assertThat(found.tokenRequest().scope().tokens()).containsExactly("orders:read", "openid", "offline_access");
        assertThat(found.lifecycle().refreshAhead()).isEqualTo(Duration.ofMillis(12_500));
    }

    @Test
    void everyFieldFixtureWhenComparedWithDefaultsThenDiffersInEveryField() throws Exception {
        ConnectedSystem full = StoredSystems.everyField("crm").build();
        ConnectedSystem minimal = StoredSystems.minimal("crm").build();
        List<String> unchanged = new ArrayList<>();
        for (Field field : ConnectedSystem.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) || field.getName().equals("name")
                    || field.getName().equals("version")) {
                continue;
            }
            field.setAccessible(true);
            if (Objects.equals(field.get(full), field.get(minimal))) {
                unchanged.add(field.getName());
            }
        }

        // a field added to ConnectedSystem later must be set in the fixture, so the round trip above covers it
        assertThat(unchanged).isEmpty();
    }

    @Test
    void createWhenMinimalThenDefaultsRoundTrip() {
        ConnectedSystem system = StoredSystems.minimal("minimal").build();

        repository.create(system);

        ConnectedSystem found = repository.find("minimal").orElseThrow();
        assertThat(found).usingRecursiveComparison().isEqualTo(system.toBuilder().version(1).build());
        assertThat(found.client().secret()).isEmpty();
        // sealed all the same: the seal authenticates the configuration of a system without secrets too
        assertThat(Sql.queryString(dataSource, "SELECT secrets FROM conduit_connected_system")).startsWith("v1.");
    }

    @Test
    void createThenSecretsAreNotStoredInTheClear() {
        repository.create(StoredSystems.everyField("crm").build());

        List<String> row = Sql.allValues(dataSource, "conduit_connected_system");

        assertThat(row).isNotEmpty().allSatisfy(value -> assertThat(String.valueOf(value))
                .doesNotContain(StoredSystems.CLIENT_SECRET).doesNotContain(StoredSystems.SECRET_VARIABLE_VALUE)
                .doesNotContain(StoredSystems.ASSERTION_KEY_BODY));
        assertThat(Sql.queryString(dataSource, "SELECT configuration FROM conduit_connected_system"))
                .contains("\"subdomain\"").contains("acme").contains("tenantKey");
    }

    @Test
    void createWhenNameTakenThenDuplicateSystemAndStoredSystemUnchanged() {
        repository.create(StoredSystems.everyField("crm").build());

        assertThatThrownBy(() -> repository.create(StoredSystems.minimal("crm").build()))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_SYSTEM);
                    assertThat(e.field()).contains("name");
                    assertThat(e.getMessage()).contains("crm");
                });

        assertThat(repository.find("crm").orElseThrow().grantType()).isEqualTo("authorization_code");
    }

    @Test
    void createWhenManyCreateOneNameAtOnceThenExactlyOneSucceeds() throws Exception {
        int contenders = 8;
        List<Object> outcomes = race(contenders, i -> {
            try {
                return repository.create(StoredSystems.minimal("raced").clientId("client-" + i).build());
            } catch (ConduitException e) {
                return e.code();
            }
        });

        assertThat(outcomes).filteredOn(ConnectedSystem.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(ErrorCode.class::isInstance).hasSize(contenders - 1)
                .containsOnly(ErrorCode.DUPLICATE_SYSTEM);
        ConnectedSystem winner = (ConnectedSystem) outcomes.stream().filter(ConnectedSystem.class::isInstance)
                .findFirst().orElseThrow();
        assertThat(repository.find("raced").orElseThrow().client().id()).isEqualTo(winner.client().id());
    }

    @Test
    void updateWhenVersionCurrentThenStoresChangeAndIncrementsVersion() {
        ConnectedSystem created = repository.create(StoredSystems.everyField("crm").build());
        ConnectedSystem changed = created.toBuilder()
                .clientSecret(Secret.of("rotated-secret-0d5e"))
                .variable(Variable.secret("tenantKey", Secret.of("rotated-tenant-key")))
                .scope("orders:write")
                .build();

        ConnectedSystem updated = repository.update(changed);

        assertThat(updated.version()).isEqualTo(2);
        ConnectedSystem found = repository.find("crm").orElseThrow();
        assertThat(found).usingRecursiveComparison().isEqualTo(changed.toBuilder().version(2).build());
        assertThat(found.client().secret().orElseThrow().reveal()).isEqualTo("rotated-secret-0d5e");
    }

    @Test
    void updateWhenSecretRemovedThenStoredWithoutSecret() {
        ConnectedSystem created = repository.create(StoredSystems.minimal("crm")
                .clientSecret(Secret.of(StoredSystems.CLIENT_SECRET)).build());

        repository.update(created.toBuilder().clientSecret(null).build());

        assertThat(repository.find("crm").orElseThrow().client().secret()).isEmpty();
    }

    @Test
    void updateWhenVersionStaleThenConcurrentModificationAndNothingChanges() {
        ConnectedSystem created = repository.create(StoredSystems.minimal("crm").build());
        repository.update(created.toBuilder().description("first edit").build());

        assertThatThrownBy(() -> repository.update(created.toBuilder().description("second edit").build()))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONCURRENT_MODIFICATION);
                    assertThat(e.field()).contains("version");
                });

        ConnectedSystem found = repository.find("crm").orElseThrow();
        assertThat(found.description()).contains("first edit");
        assertThat(found.version()).isEqualTo(2);
    }

    @Test
    void updateWhenManyEditTheSameVersionAtOnceThenExactlyOneWins() throws Exception {
        ConnectedSystem created = repository.create(StoredSystems.minimal("crm").build());
        int editors = 8;

        List<Object> outcomes = race(editors, i -> {
            try {
                return repository.update(created.toBuilder().description("edit " + i).build());
            } catch (ConduitException e) {
                return e.code();
            }
        });

        assertThat(outcomes).filteredOn(ConnectedSystem.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(ErrorCode.class::isInstance).hasSize(editors - 1)
                .containsOnly(ErrorCode.CONCURRENT_MODIFICATION);
        assertThat(repository.find("crm").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void updateWhenSystemUnknownThenUnknownSystem() {
        ConnectedSystem never = StoredSystems.minimal("ghost").version(1).build();

        assertThatThrownBy(() -> repository.update(never)).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SYSTEM));
        assertThat(repository.find("ghost")).isEmpty();
    }

    @Test
    void deleteWhenPresentThenGoneWithItsStatus() {
        repository.create(StoredSystems.minimal("crm").build());
        repository.setStatus("crm", SystemStatus.error(ErrorCode.INVALID_CLIENT, "wrong secret", clock.instant()));

        assertThat(repository.delete("crm")).isTrue();

        assertThat(repository.find("crm")).isEmpty();
        assertThat(repository.delete("crm")).isFalse();
        assertThatThrownBy(() -> repository.status("crm")).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SYSTEM));
        // created again, it starts from a clean status
        repository.create(StoredSystems.minimal("crm").build());
        assertThat(repository.status("crm").isOk()).isTrue();
    }

    @Test
    void findAllWhenSeveralThenOrderedByNameIgnoringCase() {
        repository.create(StoredSystems.minimal("zendesk").build());
        repository.create(StoredSystems.everyField("crm").build());
        repository.create(StoredSystems.minimal("Billing").build());
        repository.create(StoredSystems.minimal("billing").build());
        repository.create(StoredSystems.minimal("ERP").build());

        List<ConnectedSystem> all = repository.findAll();

        // the same order on H2 and PostgreSQL, whatever the database's collation
        assertThat(all).extracting(ConnectedSystem::name).containsExactly("Billing", "billing", "crm", "ERP", "zendesk");
        assertThat(all.get(2).client().secret()).isPresent();
        assertThat(all).extracting(ConnectedSystem::version).containsOnly(1L);
    }

    @Test
    void findAllWhenEmptyThenEmptyList() {
        assertThat(repository.findAll()).isEmpty();
    }

    @Test
    void statusWhenNeverMarkedThenOkSinceCreation() {
        Instant created = clock.instant();
        repository.create(StoredSystems.minimal("crm").build());
        clock.advance(Duration.ofMinutes(5));

        SystemStatus status = repository.status("crm");

        assertThat(status).isEqualTo(SystemStatus.ok(created));
        assertThat(status.code()).isNull();
        assertThat(status.reason()).isNull();
    }

    @Test
    void setStatusThenStatusRoundTripsWithoutChangingTheVersion() {
        ConnectedSystem created = repository.create(StoredSystems.minimal("crm").build());
        SystemStatus error = SystemStatus.error(ErrorCode.ENDPOINT_UNAVAILABLE,
                "The token endpoint did not answer within 5 s (3 attempts)", Instant.parse("2026-03-01T09:30:00.5Z"));

        repository.setStatus("crm", error);

        assertThat(repository.status("crm")).isEqualTo(error);
        assertThat(repository.status("crm").hint()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE.hint());
        // an edit made from the version read before the status changed still succeeds
        assertThat(repository.update(created.toBuilder().description("edited").build()).version()).isEqualTo(2);
        SystemStatus ok = SystemStatus.ok(Instant.parse("2026-03-01T10:00:00Z"));
        repository.setStatus("crm", ok);
        assertThat(repository.status("crm")).isEqualTo(ok);
    }

    @Test
    void setStatusWhenReasonLongerThanColumnThenShortened() {
        repository.create(StoredSystems.minimal("crm").build());

        repository.setStatus("crm", SystemStatus.error(ErrorCode.TOKEN_ENDPOINT_ERROR, "x".repeat(5000),
                clock.instant()));

        assertThat(repository.status("crm").reason())
                .hasSize(JdbcConnectedSystemRepository.MAX_REASON_LENGTH).startsWith("xxx");
    }

    @Test
    void setStatusWhenSystemUnknownThenUnknownSystem() {
        assertThatThrownBy(() -> repository.setStatus("ghost", SystemStatus.ok(clock.instant())))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SYSTEM));
    }

    @Test
    void findWhenSecretsCiphertextHasOneFlippedByteThenRefusedAsTamperedAndNothingLeaks() throws Exception {
        repository.create(StoredSystems.everyField("crm").clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST).build());
        String sealed = Sql.queryString(dataSource, "SELECT secrets FROM conduit_connected_system");
        Sql.update(dataSource, "UPDATE conduit_connected_system SET secrets = ?", Tamper.flipOneByte(sealed));
        LeakCheck leaks = new LeakCheck().secret(StoredSystems.CLIENT_SECRET, StoredSystems.SECRET_VARIABLE_VALUE,
                StoredSystems.ASSERTION_KEY_BODY);

        RuntimeException refused;
        try (AutoCloseable logs = leaks.recordLogs()) {
            refused = leaks.expectThrows(() -> repository.find("crm"));
        }

        assertThat(refused).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_TAMPERED));
        assertThat(leaks.collected()).anyMatch(line -> line.contains("does not match its seal"));
        leaks.assertNoLeak();
    }

    @Test
    void findWhenSealCannotBeOpenedWithTheConfiguredKeyThenRefusedSayingWhatToDo() {
        repository.create(StoredSystems.everyField("crm").build());
        JdbcConnectedSystemRepository otherKey = new JdbcConnectedSystemRepository(dataSource, TestCiphers.fresh(), clock);
        LeakCheck leaks = new LeakCheck().secret(StoredSystems.CLIENT_SECRET, StoredSystems.ASSERTION_KEY_BODY);

        RuntimeException e = leaks.expectThrows(() -> otherKey.find("crm"));

        assertThat(e).isInstanceOfSatisfying(ConduitException.class, ce -> {
            assertThat(ce.code()).isEqualTo(ErrorCode.CONFIGURATION_TAMPERED);
            assertThat(ce.systemName()).contains("crm");
            assertThat(ce.getMessage()).contains("does not match its seal");
            assertThat(ce.hint()).contains("Configure that key");
        });
        leaks.assertNoLeak();
        // the row can still be deleted, so the name can be used again
        assertThat(otherKey.delete("crm")).isTrue();
    }

    @Test
    void findWhenSecretsCopiedFromAnotherSystemThenThatSystemIsRefusedAsTampered() {
        repository.create(StoredSystems.everyField("crm").build());
        repository.create(StoredSystems.minimal("erp").clientSecret(Secret.of("erp-secret")).build());

        Sql.update(dataSource, "UPDATE conduit_connected_system SET secrets = (SELECT secrets FROM"
                + " conduit_connected_system WHERE name = 'crm') WHERE name = 'erp'");

        assertThatThrownBy(() -> repository.find("erp")).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_TAMPERED));
        assertThat(repository.find("crm").orElseThrow().client().secret()).isPresent();
        // the list leaves the refused system out rather than failing whole
        assertThat(repository.findAll()).extracting(ConnectedSystem::name).containsExactly("crm");
    }

    @Test
    void findWhenStoredDocumentIsCorruptThenRefusedAsTamperedNamingTheSystem() {
        repository.create(StoredSystems.minimal("crm").build());
        Sql.update(dataSource, "UPDATE conduit_connected_system SET configuration = '{not json'");

        assertThatThrownBy(() -> repository.find("crm")).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_TAMPERED);
            assertThat(e.systemName()).contains("crm");
            assertThat(e.getMessage()).contains("'crm'");
        });
    }

    /** Runs {@code action(i)} for i in 0..n-1 on n threads released at once; returns what each returned. */
    List<Object> race(int n, Function<Integer, Object> action) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(threads.submit(() -> {
                start.await();
                return action.apply(index);
            }));
        }
        start.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> future : futures) {
            outcomes.add(future.get(30, TimeUnit.SECONDS));
        }
        return outcomes;
    }
}
