package dev.conduit.web.store;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The few JDBC conventions every store shares: timestamps, duplicate keys, and errors that never leak SQL text. */
final class Jdbc {

    private static final Logger LOG = Logger.getLogger(Jdbc.class.getName());

    /** Standard SQLSTATE for a unique or primary key violation; H2 and PostgreSQL both report it. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** Query canceled (PostgreSQL, H2 statement timeout) and H2's lock timeout: waiting for a row lock gave up. */
    private static final String QUERY_CANCELED = "57014";
    private static final String H2_LOCK_TIMEOUT = "HYT00";
    private static final String PG_LOCK_NOT_AVAILABLE = "55P03";

    private Jdbc() {
    }

    /**
     * An instant as the column type {@code TIMESTAMP(6) WITH TIME ZONE} holds it: UTC, to the microsecond, so that what
     * is read back equals what was written on every database.
     */
    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void setTimestamp(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, timestamp(instant));
    }

    static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static boolean isLockTimeout(SQLException e) {
        String state = e.getSQLState();
        return QUERY_CANCELED.equals(state) || H2_LOCK_TIMEOUT.equals(state) || PG_LOCK_NOT_AVAILABLE.equals(state);
    }

    /**
     * The exception a store raises for a database failure: {@code STORE_UNAVAILABLE}, Conduit's own dependency failing,
     * which disables nothing and passes once the database answers again. The message says what was being done and the
     * SQLSTATE; the driver's own message stays in the cause (for the server log), since it may quote column values.
     */
    static ConduitException failure(String action, SQLException e) {
        return ConduitException.builder(ErrorCode.STORE_UNAVAILABLE,
                "Database error: could not " + action + " (SQLSTATE " + e.getSQLState() + ")").cause(e).build();
    }

    /** Rolls back after a failure, keeping the failure as the exception that matters. */
    static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
            LOG.log(Level.FINE, "rollback failed after an earlier error", e);
        }
    }
}
