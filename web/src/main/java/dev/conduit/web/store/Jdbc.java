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
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The few JDBC conventions every store shares: timestamps, duplicate keys, statements by one key, and errors that never
 * leak SQL text.
 */
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

    /** What a store makes of the row a query found. */
    @FunctionalInterface
    interface Row<T> {
        Optional<T> read(ResultSet rs) throws SQLException;
    }

    /**
     * The row {@code select} finds by one key, read by {@code row}, or empty when there is none; a database failure is
     * {@link #failure} of the {@code action}, named only then.
     */
    static <T> Optional<T> findByKey(DataSource dataSource, String select, String key, Row<T> row,
            Supplier<String> action) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, key);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? row.read(rs) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(action.get(), e);
        }
    }

    /** Runs {@code update} (a delete or an update) for one key; the rows it changed. */
    static int updateByKey(DataSource dataSource, String update, String key, Supplier<String> action) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(update)) {
            statement.setString(1, key);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(action.get(), e);
        }
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
