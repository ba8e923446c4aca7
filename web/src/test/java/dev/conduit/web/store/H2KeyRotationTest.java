package dev.conduit.web.store;

import javax.sql.DataSource;

/** Key rotation on H2, Conduit's embedded default. */
class H2KeyRotationTest extends KeyRotationContract {

    @Override
    DataSource database() {
        return TestDatabases.h2();
    }
}
