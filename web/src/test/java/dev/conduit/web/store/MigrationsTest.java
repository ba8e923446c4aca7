package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    /** Flyway quotes the history table's name, so on H2 it keeps its lower case. */
    private static final String HISTORY = '"' + Migrations.HISTORY_TABLE + '"';

    @Test
    void migrateWhenRunAgainThenSchemaStaysAtTheLatestVersion() {
        DataSource h2 = TestDatabases.h2();

        String again = Migrations.migrate(h2);

        assertThat(again).isEqualTo("3");
        assertThat(Sql.queryString(h2, "SELECT COUNT(*) FROM " + HISTORY + " WHERE \"type\" = 'SQL'"))
                .isEqualTo("3");
        assertThat(Sql.queryString(h2, "SELECT COUNT(*) FROM conduit_token")).isEqualTo("0");
    }

    @Test
    void migrateWhenAppliedScriptWasChangedByHandThenInternalError() {
        DataSource h2 = TestDatabases.h2();
        Sql.update(h2, "UPDATE " + HISTORY + " SET \"checksum\" = \"checksum\" + 1"
                + " WHERE \"version\" = '1'");

        assertThatThrownBy(() -> Migrations.migrate(h2)).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(e.getMessage()).startsWith("The database schema could not be migrated");
        });
    }

    @Test
    void migrateWhenDatabaseUnreachableThenInternalError() {
        JdbcDataSource closed = new JdbcDataSource();
        closed.setURL("jdbc:h2:mem:gone;IFEXISTS=TRUE");

        assertThatThrownBy(() -> Migrations.migrate(closed)).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
    }
}
