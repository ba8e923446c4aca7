package dev.conduit.web.store;

import dev.conduit.api.token.Subject;
import dev.conduit.core.invalidation.Invalidation;
import dev.conduit.core.invalidation.LocalInvalidations;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Invalidations between the servers sharing one PostgreSQL database, through PostgreSQL's own {@code LISTEN/NOTIFY}:
 * {@link #publish} delivers to this server's listeners and sends a {@code NOTIFY} on channel {@value #CHANNEL}; one
 * thread per server waits on a connection that {@code LISTEN}s and delivers what the other servers send. Nothing runs
 * on the hot path: a token served from memory never waits for this.
 *
 * <p>Why this and not a table of changes: PostgreSQL pushes a notification to every listening session as the sending
 * transaction commits, so a server hears a change in milliseconds without asking for it; a table would need every
 * server to poll it. A notification is not stored, though: a server whose listening connection broke (database
 * restart, network) may have missed some, so after it listens again it forgets everything it holds in memory
 * ({@link Invalidation#everything()}) and reads the store afresh.
 *
 * <p>The listening connection is taken from the server's pool and kept: it is one connection of the pool for as long
 * as the server runs. Inside Liberty, unwrapping it to {@link PGConnection} needs the driver as a library shared with
 * the application ({@code <classloader commonLibraryRef=.../>}).
 */
public final class PostgresInvalidations extends LocalInvalidations implements AutoCloseable {

    /** The notification channel every Conduit server of one database listens on. */
    public static final String CHANNEL = "conduit_invalidation";

    private static final Logger LOG = Logger.getLogger(PostgresInvalidations.class.getName());

    /** How long the listener waits for a notification before it checks that its connection still answers. */
    private static final int LIVENESS_MILLIS = 30_000;
    private static final Duration FIRST_RECONNECT_PAUSE = Duration.ofMillis(200);
    private static final Duration LAST_RECONNECT_PAUSE = Duration.ofSeconds(5);

    private static final String SYSTEM = "system";
    private static final String SUBJECT = "subject";

    private final DataSource dataSource;
    /** Names this server in its notifications, so that it does not deliver its own twice. */
    private final String node = UUID.randomUUID().toString();
    private final Thread listener;
    private volatile boolean closed;
    private volatile Connection listening;
    /** Whether the listener is connected and listening now: readiness can say so. */
    private volatile boolean connected;

    private PostgresInvalidations(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.listener = new Thread(this::listen, "conduit-invalidation-listener");
        listener.setDaemon(true);
    }

    /** Starts listening at once; {@link #close} stops. */
    public static PostgresInvalidations start(DataSource dataSource) {
        PostgresInvalidations invalidations = new PostgresInvalidations(dataSource);
        invalidations.listener.start();
        return invalidations;
    }

    /** Whether this server's listening connection is up, so that it hears other servers' changes. */
    public boolean isListening() {
        return connected;
    }

    /**
     * {@inheritDoc} The notification goes out in its own auto-committed statement, after the change it announces was
     * committed. If it cannot be sent (the database went away), that is logged: the other servers' listening
     * connections break too, and they forget everything when they listen again.
     */
    @Override
    public void publish(Invalidation invalidation) {
        deliver(invalidation);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, encode(invalidation));
            notify.execute();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "could not notify the other servers that " + invalidation + " changed ("
                    + e.getSQLState() + "); they forget it when their own connection to the database recovers", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection connection = listening;
        if (connection != null) {
            try {
                connection.close(); // wakes the listener out of its wait
            } catch (SQLException e) {
                LOG.log(Level.FINE, "closing the listening connection failed", e);
            }
        }
        listener.interrupt();
    }

    /** The listener thread: listen, deliver until the connection breaks, then listen again and forget everything. */
    private void listen() {
        boolean listenedBefore = false;
        Duration pause = FIRST_RECONNECT_PAUSE;
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                listening = connection;
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                connected = true;
                if (listenedBefore) {
                    LOG.info("listening for other servers' changes again; forgetting what this server holds in memory,"
                            + " since notifications sent meanwhile are lost");
                    deliver(Invalidation.everything());
                }
                listenedBefore = true;
                pause = FIRST_RECONNECT_PAUSE;
                receive(connection, notifications);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                String why = e instanceof SQLException sql ? "SQL state " + sql.getSQLState()
                        : e.getClass().getSimpleName();
                long wait = pause.toMillis();
                LOG.warning(() -> "the connection listening for other servers' changes failed (" + why
                        + "); listening again in " + wait + " ms");
                LOG.log(Level.FINE, "the listening connection's failure", e);
            } finally {
                connected = false;
                listening = null;
            }
            if (!sleep(pause)) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(LAST_RECONNECT_PAUSE) > 0 ? LAST_RECONNECT_PAUSE
                    : pause.multipliedBy(2);
        }
    }

    /**
     * Waits in the driver for notifications (a blocking read of the socket, not a query), and delivers them. When none
     * came for a while, one {@code SELECT 1} checks that the connection still answers, since a database that vanished
     * without closing the socket would otherwise leave this server deaf.
     */
    private void receive(Connection connection, PGConnection notifications) throws SQLException {
        while (!closed) {
            PGNotification[] received = notifications.getNotifications(LIVENESS_MILLIS);
            if (received == null || received.length == 0) {
                try (Statement alive = connection.createStatement()) {
                    alive.execute("SELECT 1");
                }
                continue;
            }
            for (PGNotification notification : received) {
                decode(notification.getParameter()).ifPresent(this::deliver);
            }
        }
    }

    private boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code <node> system <name>}, {@code <node> subject <name> <user>} or {@code <node>}; each part URL-encoded. */
    String encode(Invalidation invalidation) {
        StringBuilder payload = new StringBuilder(node);
        invalidation.system().ifPresent(system -> {
            payload.append(' ').append(invalidation.onlySubject().isPresent() ? SUBJECT : SYSTEM).append(' ')
                    .append(URLEncoder.encode(system, StandardCharsets.UTF_8));
            invalidation.onlySubject().ifPresent(subject -> payload.append(' ')
                    .append(URLEncoder.encode(subject.isApplication() ? "" : subject.userId(), StandardCharsets.UTF_8)));
        });
        return payload.toString();
    }

    /** The invalidation another server sent; empty for this server's own and for a payload it cannot read. */
    Optional<Invalidation> decode(String payload) {
        String[] parts = payload.split(" ", -1);
        if (parts[0].equals(node)) {
            return Optional.empty(); // delivered here when it was published
        }
        try {
            if (parts.length == 1) {
                return Optional.of(Invalidation.everything());
            }
            String system = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
            if (parts[1].equals(SYSTEM) && parts.length == 3) {
                return Optional.of(Invalidation.ofSystem(system));
            }
            if (parts[1].equals(SUBJECT) && parts.length == 4) {
                String user = URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
                return Optional.of(Invalidation.ofSubject(system, user.isEmpty() ? Subject.application()
                        : Subject.user(user)));
            }
        } catch (RuntimeException e) {
            // falls through: an unreadable payload (another version of Conduit?) makes this server forget everything
        }
        LOG.warning(() -> "a notification on " + CHANNEL + " could not be read; forgetting everything held in memory");
        return Optional.of(Invalidation.everything());
    }
}
