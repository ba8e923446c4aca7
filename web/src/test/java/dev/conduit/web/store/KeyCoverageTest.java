package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.Secret;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.testing.MutableClock;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A server whose keys cannot decrypt the shared systems knows which key ids it lacks, on H2 and on PostgreSQL; one
 * user's token row under a key it lacks is that user's concern, not the server's.
 */
class KeyCoverageTest {

    private static final String OLD = SecretCipher.generateKey();
    private static final String NEW = SecretCipher.generateKey();

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T10:15:30Z");

    @Test
    void missingKeyIdsWhenRowsAreUnderAKeyThisServerLacksThenItNamesThatKeyOnH2() throws Exception {
        assertCoverage(TestDatabases.h2());
    }

    @Test
    void missingKeyIdsWhenRowsAreUnderAKeyThisServerLacksThenItNamesThatKeyOnPostgresql() throws Exception {
        assertCoverage(TestDatabases.postgres().newDataSource());
    }

    private void assertCoverage(DataSource database) throws Exception {
        SecretCipher writer = SecretCipher.fromBase64("old_1", Map.of("old_1", OLD));
        new JdbcConnectedSystemRepository(database, writer, clock).create(StoredSystems.minimal("crm").build());
        new JdbcTokenStore(database, SecretCipher.fromBase64("tok", Map.of("tok", NEW)), clock).save(
                new TokenKey("crm", Subject.user("alice")), new TokenSet(Secret.of("at"), "Bearer", clock.instant(),
                        clock.instant().plusSeconds(60), null, Scope.parse("read")));

        assertThat(new KeyCoverage(database, SecretCipher.fromBase64("new", Map.of("new", NEW))).missingKeyIds())
                .containsExactly("old_1");
        // "old_1" as a LIKE pattern would also match "oldX1": the underscore is escaped, so "oldX1" covers nothing
        assertThat(new KeyCoverage(database, SecretCipher.fromBase64("oldX1", Map.of("oldX1", OLD, "tok", NEW)))
                .missingKeyIds()).containsExactly("old_1");
        assertThat(new KeyCoverage(database, SecretCipher.fromBase64("new", Map.of("new", NEW, "old_1", OLD,
                "tok", NEW))).missingKeyIds()).isEmpty();
        // the token row is under "tok", which this server lacks: that user's token reads as absent, the server is ready
        assertThat(new KeyCoverage(database, SecretCipher.fromBase64("new", Map.of("new", NEW, "old_1", OLD)))
                .missingKeyIds()).isEmpty();
    }
}
