package dev.conduit.web.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.observe.LogFields;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outside Liberty (no LogRecordContext) the fields are dropped, and the line is still logged. */
class LibertyLogFieldsTest {

    @Test
    void createWhenLibertysLogRecordContextIsAbsentThenPlainAndTheLineIsStillLogged() {
        LogFields.Scope scope = LibertyLogFields.create();
        boolean[] logged = {false};

        scope.around(Map.of(LogFields.SYSTEM, "crm"), () -> logged[0] = true);

        assertThat(scope).isSameAs(LogFields.PLAIN);
        assertThat(logged[0]).isTrue();
    }
}
