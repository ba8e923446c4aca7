package dev.conduit.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A log line about a system carries the system and the ErrorCode as fields, attached to that line alone. */
class LogFieldsTest {

    private final Logger logger = Logger.getLogger("dev.conduit.test.LogFieldsTest");
    private final List<String> written = new ArrayList<>();
    private final Map<String, String> current = new HashMap<>();

    @AfterEach
    void restore() {
        LogFields.install(LogFields.PLAIN);
    }

    @Test
    void logWhenAScopeIsInstalledThenTheLineIsWrittenWithTheSystemAndCodeAndTheFieldsAreGoneAfter() {
        LogFields.install((fields, log) -> {
            current.putAll(fields);
            try {
                log.run();
            } finally {
                current.clear();
            }
        });
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                written.add(record.getMessage() + " " + new java.util.TreeMap<>(current));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });

        LogFields.log(logger, Level.WARNING, "crm", ErrorCode.INVALID_CLIENT, () -> "connected system 'crm' disabled");
        LogFields.log(logger, Level.WARNING, "crm", null, () -> "no code");
        logger.warning("another line");

        assertThat(written).containsExactly(
                "connected system 'crm' disabled {conduit_error_code=INVALID_CLIENT, conduit_system=crm}",
                "no code {conduit_system=crm}",
                "another line {}");
    }

    @Test
    void logWhenTheLevelIsOffThenTheMessageIsNotEvenBuilt() {
        logger.setLevel(Level.INFO);
        boolean[] built = {false};

        LogFields.log(logger, Level.FINE, "crm", ErrorCode.RATE_LIMITED, () -> {
            built[0] = true;
            return "retrying";
        });

        assertThat(built[0]).isFalse();
    }
}
