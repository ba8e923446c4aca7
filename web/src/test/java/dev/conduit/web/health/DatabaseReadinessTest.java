package dev.conduit.web.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Readiness says whether this node can serve: its database answers. Nothing about connected systems. */
class DatabaseReadinessTest {

    @BeforeAll
    static void installResponseBuilder() {
        RecordingResponseBuilder.install();
    }

    @Test
    void callWhenDatabaseAnswersThenUp() {
        DatabaseReadiness readiness = new DatabaseReadiness();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:readiness;DB_CLOSE_DELAY=-1");
        readiness.dataSource = h2;

        HealthCheckResponse response = readiness.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("product", "H2");
    }

    @Test
    void callWhenDatabaseUnreachableThenDownWithoutItsAddress() {
        DatabaseReadiness readiness = new DatabaseReadiness();
        JdbcDataSource gone = new JdbcDataSource();
        gone.setURL("jdbc:h2:mem:db-host-secret-name;IFEXISTS=TRUE");
        readiness.dataSource = gone;

        HealthCheckResponse response = readiness.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow().toString()).doesNotContain("db-host-secret-name")
                .contains("SQL state");
    }
}
