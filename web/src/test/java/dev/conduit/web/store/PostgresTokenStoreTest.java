package dev.conduit.web.store;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token store contract on real PostgreSQL, plus what only several nodes show: two stores, each with its own
 * connections, as two Conduit servers sharing one database.
 */
class PostgresTokenStoreTest extends TokenStoreContract {

    private static TestDatabases.PostgresDatabase postgres;

    @BeforeAll
    static void createDatabase() {
        postgres = TestDatabases.postgres();
    }

    @Override
    DataSource database() {
        return postgres.newDataSource();
    }

    @Test
    void updateWhenTwoNodesChangeAnExistingKeyAtOnceThenTheyAreSerialised() throws Exception {
        assertSerialised(twoNodes(), 10, 5, Duration.ofMillis(50), true);
    }

    @Test
    void updateWhenTwoNodesCreateAKeyThatDidNotExistAtOnceThenTheyAreSerialised() throws Exception {
        assertSerialised(twoNodes(), 10, 5, Duration.ofMillis(50), false);
    }

    /** Two stores on separate data sources (separate connections, as separate servers have) sharing one cipher key. */
    private List<JdbcTokenStore> twoNodes() {
        return List.of(new JdbcTokenStore(postgres.newDataSource(), cipher, clock),
                new JdbcTokenStore(postgres.newDataSource(), cipher, clock));
    }
}
