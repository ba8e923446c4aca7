package dev.conduit.web.store;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

/** The connected system repository contract on real PostgreSQL. */
class PostgresConnectedSystemRepositoryTest extends ConnectedSystemRepositoryContract {

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
