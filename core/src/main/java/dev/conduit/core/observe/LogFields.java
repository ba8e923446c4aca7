package dev.conduit.core.observe;

import dev.conduit.api.ErrorCode;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Conduit's own log lines about a connected system, with the system's name and the {@code ErrorCode} as fields
 * ({@value #SYSTEM}, {@value #ERROR_CODE}) beside the message, so that a JSON log can be filtered by them. The
 * message itself must never hold a secret or a token.
 */
public final class LogFields {

    public static final String SYSTEM = "conduit_system";
    public static final String ERROR_CODE = "conduit_error_code";

    /** Puts fields around one log call: the server installs one that turns them into its log format's fields. */
    @FunctionalInterface
    public interface Scope {
        /** Runs {@code log} with {@code fields} attached to the records it writes, and only to those. */
        void around(Map<String, String> fields, Runnable log);
    }

    /** Without a server, the fields are dropped and the message is logged as it is. */
    public static final Scope PLAIN = (fields, log) -> log.run();

    private static volatile Scope scope = PLAIN;

    private LogFields() {
    }

    /** Installs how fields reach the log (once, at start-up; a static hook, since core's loggers are static). */
    public static void install(Scope installed) {
        scope = Objects.requireNonNull(installed, "scope");
    }

    /** Logs {@code message} about {@code system}, with its failure's {@code code} when there is one. */
    public static void log(Logger logger, Level level, String system, ErrorCode code, Supplier<String> message) {
        if (!logger.isLoggable(level)) {
            return;
        }
        Map<String, String> fields = code == null ? Map.of(SYSTEM, system)
                : Map.of(SYSTEM, system, ERROR_CODE, code.name());
        scope.around(fields, () -> logger.log(level, message));
    }
}
