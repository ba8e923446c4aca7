package dev.conduit.web.store;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

/** The audit trail on real PostgreSQL. */
class PostgresAuditTrailTest extends AuditTrailContract {

    private static DataSource postgres;

    @BeforeAll
    static void createDatabase() {
        postgres = TestDatabases.postgres().newDataSource();
    }

    @Override
    DataSource database() {
        return postgres;
    }
}
