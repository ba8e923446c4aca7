package dev.conduit.web.store;

import javax.sql.DataSource;

/** Key rotation on real PostgreSQL, each test on a database of its own. */
class PostgresKeyRotationTest extends KeyRotationContract {

    @Override
    DataSource database() {
        return TestDatabases.postgres().newDataSource();
    }
}
