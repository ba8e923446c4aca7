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
        return isPostgresql(name(dataSource));
    }

    static boolean isPostgresql(String product) {
        return "PostgreSQL".equalsIgnoreCase(product);
    }

    /**
     * Refuses a database other than the configured one ({@code conduit.database}: {@code h2} or {@code postgresql}).
     * Liberty can keep the data source of an earlier start (its configuration cache in the server's workarea survives a
     * restart), so that a server switched to PostgreSQL would silently keep using its old H2 file, with its old
     * systems and secrets it cannot decrypt. Better not to start, and to say why.
     *
     * @throws ConduitException {@code INVALID_CONFIGURATION}, field {@code conduit.database}, when they differ
     */
    static void requireConfigured(String configured, String product) {
        String wanted = configured.strip().toLowerCase(java.util.Locale.ROOT);
        boolean matches = wanted.equals("postgresql") ? isPostgresql(product) : wanted.equals("h2")
                ? "H2".equalsIgnoreCase(product) : false;
        if (!matches) {
            throw ConduitException.builder(ErrorCode.INVALID_CONFIGURATION, "conduit.database is '" + configured
                    + "', but jdbc/conduit is a " + product + " database; Conduit does not start on another database"
                    + " than the one configured. If conduit.database was changed since the server last ran, Liberty"
                    + " kept the earlier data source in its cache: start the server once with --clean (server start"
                    + " <name> --clean; with Maven, liberty:run -Dclean=true). Otherwise check which database/*.xml"
                    + " the server includes and any configDropins that replace jdbc/conduit; conduit.database must be"
                    + " h2 or postgresql.").field("conduit.database").build();
        }
    }
}
