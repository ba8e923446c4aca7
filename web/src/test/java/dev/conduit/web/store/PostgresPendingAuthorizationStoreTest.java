package dev.conduit.web.store;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

/** The pending authorization store contract on real PostgreSQL. */
class PostgresPendingAuthorizationStoreTest extends PendingAuthorizationStoreContract {

    private static TestDatabases.PostgresDatabase postgres;

    @BeforeAll
    static void createDatabase() {
        postgres = TestDatabases.postgres();
    }

    @Override
    DataSource database() {
        return postgres.newDataSource();
    }

    /** Each link is two round trips to a separate server process here; H2 runs the full 10,000. */
    @Override
    int floodLinks() {
        return 1_000;
    }
}
