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
}
