package dev.conduit.web.store;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token store contract on H2, Conduit's embedded default. */
class H2TokenStoreTest extends TokenStoreContract {

    private static DataSource h2;

    @BeforeAll
    static void createDatabase() {
        h2 = TestDatabases.h2();
    }

    @Override
    DataSource database() {
        return h2;
    }

    @Test
    void updateWhenWaitingLongerThanH2sOwnLockTimeoutThenWaitsOnAndStaysSerialised() throws Exception {
        List<JdbcTokenStore> twoStores = List.of(new JdbcTokenStore(h2, cipher, clock),
                new JdbcTokenStore(h2, cipher, clock));

        // six changes of 500 ms: the last waits about 2.5 s, more than H2's default lock timeout
        assertSerialised(twoStores, 3, 1, Duration.ofMillis(500), false);
    }
}
