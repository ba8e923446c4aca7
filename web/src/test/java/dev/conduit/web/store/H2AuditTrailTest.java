package dev.conduit.web.store;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

/** The audit trail on H2, Conduit's embedded default. */
class H2AuditTrailTest extends AuditTrailContract {

    private static DataSource h2;

    @BeforeAll
    static void createDatabase() {
        h2 = TestDatabases.h2();
    }

    @Override
    DataSource database() {
        return h2;
    }
}
