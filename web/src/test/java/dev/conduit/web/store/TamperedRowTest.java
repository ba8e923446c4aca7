package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.token.Subject;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Someone who can write to the database repoints a stored system's token endpoint at a host of their own, hoping to
 * receive the client secret at the next token request: the row no longer matches its seal, the system is refused, and
 * neither host receives a request.
 */
class TamperedRowTest {

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T10:00:00Z");
    private final HostileTokenServer provider = HostileTokenServer.start();
    private final HostileTokenServer attacker = HostileTokenServer.start();
    private final DataSource database = TestDatabases.h2();
    private final JdbcConnectedSystemRepository systems =
            new JdbcConnectedSystemRepository(database, TestCiphers.fresh(), clock);
    private final TokenService tokens = new TokenService(systems, new InMemoryTokenStore(),
            GrantRegistry.load(TamperedRowTest.class.getClassLoader()),
            new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), TestSystems.answeringSettings(), clock), clock,
            delay -> { });

    @AfterEach
    void close() {
        provider.close();
        attacker.close();
    }

    @Test
    void accessTokenWhenTokenEndpointWasEditedInTheDatabaseThenRefusedAsTamperedAndNoRequestLeaves() {
        systems.create(TestSystems.clientCredentials(provider).build());
        String configuration = Sql.queryString(database, "SELECT configuration FROM conduit_connected_system");
        Sql.update(database, "UPDATE conduit_connected_system SET configuration = ?",
                configuration.replace(provider.url("/token"), attacker.url("/token")));
        attacker.enqueue(ScriptedResponse.okToken("attacker-token", 3600));
        LeakCheck leaks = new LeakCheck().secret(TestSystems.CLIENT_SECRET);

        RuntimeException refused = leaks.expectThrows(
                () -> tokens.accessToken(systems.get(TestSystems.SYSTEM_NAME), Subject.application()));

        assertThat(refused).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_TAMPERED);
            assertThat(e.getMessage()).contains(TestSystems.SYSTEM_NAME).contains("does not match its seal");
        });
        assertThat(attacker.requestCount()).isZero();
        assertThat(provider.requestCount()).isZero();
        leaks.assertNoLeak();
    }

    @Test
    void findWhenGrantTypeColumnWasEditedThenRefusedAsTampered() {
        systems.create(TestSystems.clientCredentials(provider).build());
        Sql.update(database, "UPDATE conduit_connected_system SET grant_type = 'authorization_code'");

        assertThatThrownBy(() -> systems.find(TestSystems.SYSTEM_NAME)).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_TAMPERED));
    }

    @Test
    void sealRowsOfEarlierVersionsWhenRowsAreSealedWholeAlreadyThenAnUnsealedRowIsNotBlessed() {
        systems.create(TestSystems.clientCredentials(provider).build());
        Sql.update(database, "INSERT INTO conduit_connected_system (name, version, grant_type, configuration,"
                + " secrets, status_state, status_since, created_at, updated_at) SELECT 'planted', version, grant_type,"
                + " configuration, NULL, status_state, status_since, created_at, updated_at FROM"
                + " conduit_connected_system");

        int sealed = systems.sealRowsOfEarlierVersions();

        assertThat(sealed).isZero();
        assertThatThrownBy(() -> systems.find("planted")).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_TAMPERED));
    }
}
