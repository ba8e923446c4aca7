package dev.conduit.web.store;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema up to date with the Flyway migrations in {@code db/migration}. Never JPA auto-DDL: the
 * schema is versioned, and the same SQL runs on H2 and PostgreSQL.
 */
public final class Migrations {

    /** Where the versioned scripts live ({@code V1__...sql}). */
    public static final String LOCATION = "classpath:db/migration";

    /** Conduit's own history table, so that a data source shared with other applications stays unambiguous. */
    public static final String HISTORY_TABLE = "conduit_schema_history";

    private Migrations() {
    }

    /**
     * Applies every pending migration; safe to call on every start and from several nodes at once (Flyway takes a
     * lock on the history table).
     *
     * @return the schema version after migrating
     * @throws ConduitException {@code INTERNAL_ERROR} when a migration fails or the schema was changed by hand
     */
    public static String migrate(DataSource dataSource) {
        try {
            MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(LOCATION)
                    .table(HISTORY_TABLE)
                    .load()
                    .migrate();
            return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        } catch (FlywayException e) {
            throw ConduitException.builder(ErrorCode.INTERNAL_ERROR,
                    "The database schema could not be migrated: " + e.getMessage()).cause(e).build();
        }
    }
}
