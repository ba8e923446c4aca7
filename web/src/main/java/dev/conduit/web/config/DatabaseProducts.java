package dev.conduit.web.config;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Which database product is behind a data source, as its driver says. */
final class DatabaseProducts {

    private DatabaseProducts() {
    }

    /** The product's name as the driver reports it ({@code PostgreSQL}, {@code H2}). */
    static String name(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw ConduitException.builder(ErrorCode.STORE_UNAVAILABLE, "Conduit's database did not answer (SQL state "
                    + e.getSQLState() + ")").cause(e).build();
        }
    }

    static boolean isPostgresql(DataSource dataSource) {
        return "PostgreSQL".equalsIgnoreCase(name(dataSource));
    }
}
