package dev.conduit.web.store;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import dev.conduit.core.crypto.ReEncryptable;
import dev.conduit.core.crypto.ReEncryption;
import dev.conduit.core.crypto.SecretCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps tokens in the {@code conduit_token} table, access and refresh tokens encrypted and bound to their key.
 * {@link #update} holds the key's row lock ({@code SELECT ... FOR UPDATE}) in one transaction, so every node that shares
 * the database runs the change for one key one at a time.
 *
 * <p>The first acquisition of a key has no row to lock yet. The store then commits an empty lock row (an insert that
 * tolerates losing the race to another node's identical insert) and locks that, so first acquisitions are serialised
 * exactly like refreshes. A lock row reads as "no token".
 *
 * <p>Waiting for a lock ends after the store's lock timeout: on PostgreSQL through the statement's query timeout; on
 * H2, whose waits end at its own {@code LOCK_TIMEOUT} (two seconds by default), by waiting again until the store's
 * timeout has passed. Leave H2's {@code LOCK_TIMEOUT} at its default or shorter, so that the store's timeout governs.
 *
 * <p>Not re-entrant: a change must not call {@link #update} for the same key (it would wait for its own lock).
 */
public final class JdbcTokenStore implements TokenStore, ReEncryptable {

    /** The longest a caller waits for another node's lock before giving up, unless configured otherwise. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = Logger.getLogger(JdbcTokenStore.class.getName());

    /** A lock row may vanish between insert and lock (a concurrent remove); try again a few times, then give up. */
    private static final int MAX_LOCK_ATTEMPTS = 10;

    private static final String APPLICATION = "APPLICATION";
    private static final String USER = "USER";
    private static final String KEY = "system_name = ? AND subject_kind = ? AND user_id = ?";
    private static final String COLUMNS =
            "access_token, refresh_token, token_type, issued_at, expires_at, scope FROM conduit_token WHERE " + KEY;

    private static final String SELECT = "SELECT " + COLUMNS;
    private static final String SELECT_FOR_UPDATE = "SELECT " + COLUMNS + " FOR UPDATE";
    private static final String INSERT_LOCK_ROW =
            "INSERT INTO conduit_token (system_name, subject_kind, user_id, updated_at) VALUES (?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE conduit_token SET access_token = ?, refresh_token = ?, token_type = ?,"
            + " issued_at = ?, expires_at = ?, scope = ?, updated_at = ? WHERE " + KEY;
    private static final String DELETE = "DELETE FROM conduit_token WHERE " + KEY;
    private static final String DELETE_SYSTEM = "DELETE FROM conduit_token WHERE system_name = ?";

    private final DataSource dataSource;
    private final SealedSecrets secrets;
    private final Clock clock;
    private final Duration lockTimeout;

    /** A store that waits at most {@link #DEFAULT_LOCK_TIMEOUT} for a key's lock. */
    public JdbcTokenStore(DataSource dataSource, SecretCipher cipher, Clock clock) {
        this(dataSource, cipher, clock, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * @param lockTimeout how long {@link #update} waits for a key that another node holds; then it fails with
     *                    {@code ENDPOINT_UNAVAILABLE}
     */
    public JdbcTokenStore(DataSource dataSource, SecretCipher cipher, Clock clock, Duration lockTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.secrets = new SealedSecrets(cipher);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("lockTimeout must be positive, was " + lockTimeout);
        }
        this.lockTimeout = lockTimeout;
    }

    /** {@inheritDoc} The access and refresh tokens of every key. */
    @Override
    public ReEncryption reEncrypt() {
        return new ReEncryptor("tokens", "conduit_token", List.of("system_name", "subject_kind", "user_id"),
                List.of("access_token", "refresh_token"),
                (key, column) -> new String[] {"conduit_token", key.get(0), key.get(1), key.get(2), column})
                .run(dataSource, secrets);
    }

    @Override
    public Optional<TokenSet> load(TokenKey key) {
        Objects.requireNonNull(key, "key");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SELECT)) {
            bindKey(select, 1, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? read(rs, key) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Jdbc.failure("read the token of " + describe(key), e);
        }
    }

    @Override
    public void save(TokenKey key, TokenSet tokens) {
        Objects.requireNonNull(tokens, "tokens");
        update(key, current -> Optional.of(tokens));
    }

    @Override
    public void remove(TokenKey key) {
        Objects.requireNonNull(key, "key");
        delete(DELETE, key, statement -> bindKey(statement, 1, key), "remove the token of " + describe(key));
    }

    @Override
    public void removeAll(String systemName) {
        Objects.requireNonNull(systemName, "systemName");
        delete(DELETE_SYSTEM, new TokenKey(systemName, Subject.application()),
                statement -> statement.setString(1, systemName),
                "remove the tokens of connected system '" + systemName + "'");
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /**
     * Deletes rows, waiting (up to the lock timeout) for an update that holds one of them: the token it is about to
     * store is then deleted too, rather than surviving the removal.
     */
    private void delete(String sql, TokenKey key, Binder binder, String action) {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        while (true) {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setQueryTimeout(secondsUntil(deadline));
                binder.bind(delete);
                delete.executeUpdate();
                return;
            } catch (SQLException e) {
                if (Jdbc.isLockTimeout(e) && System.nanoTime() < deadline) {
                    continue;
                }
                throw failure(action, key, e);
            }
        }
    }

    @Override
    public Optional<TokenSet> update(TokenKey key, UnaryOperator<Optional<TokenSet>> change) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(change, "change");
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                return updateInTransaction(connection, key, change);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure("update the token of " + describe(key), key, e);
        }
    }

    /** A lock wait that outlasted the lock timeout is the provider's slowness showing through another request. */
    private ConduitException failure(String action, TokenKey key, SQLException e) {
        if (Jdbc.isLockTimeout(e)) {
            return ConduitException.builder(ErrorCode.ENDPOINT_UNAVAILABLE, "Could not " + action + ": gave up after "
                    + lockTimeout.toSeconds() + " s waiting for another request for the same token to finish (SQLSTATE "
                    + e.getSQLState() + ")").system(key.systemName()).cause(e).build();
        }
        return Jdbc.failure(action, e);
    }

    private static int secondsUntil(long deadline) {
        long remaining = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()) + 1;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, remaining));
    }

    private Optional<TokenSet> updateInTransaction(Connection connection, TokenKey key,
            UnaryOperator<Optional<TokenSet>> change) throws SQLException {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        int vanished = 0;
        while (true) {
            Locked locked;
            try {
                locked = lock(connection, key, deadline);
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(connection, e);
                // the database's own lock wait may be shorter than ours (H2 waits two seconds by default): wait again
                if (Jdbc.isLockTimeout(e) && System.nanoTime() < deadline) {
                    continue;
                }
                throw e;
            }
            if (!locked.rowExists()) {
                if (++vanished > MAX_LOCK_ATTEMPTS) {
                    throw ConduitException.builder(ErrorCode.INTERNAL_ERROR, "Could not lock the token of "
                            + describe(key) + ": its row was removed " + MAX_LOCK_ATTEMPTS + " times while waiting")
                            .system(key.systemName()).build();
                }
                insertLockRow(connection, key);
                continue;
            }
            Optional<TokenSet> result;
            try {
                result = Objects.requireNonNull(change.apply(locked.tokens()), "the change returned null, not empty");
                write(connection, key, result);
                connection.commit();
            } catch (RuntimeException | Error | SQLException e) {
                Jdbc.rollbackQuietly(connection, e);
                throw e;
            }
            return result;
        }
    }

    /** The outcome of {@code SELECT ... FOR UPDATE}: whether the key has a row (now locked), and its token. */
    private record Locked(boolean rowExists, Optional<TokenSet> tokens) {
    }

    private Locked lock(Connection connection, TokenKey key, long deadline) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_FOR_UPDATE)) {
            select.setQueryTimeout(secondsUntil(deadline));
            bindKey(select, 1, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new Locked(true, read(rs, key)) : new Locked(false, Optional.empty());
            }
        }
    }

    /**
     * Commits an empty row for the key, so there is a row to lock. Another node inserting the same row at the same time
     * makes one of the inserts fail on the primary key: that loser simply goes on to lock the winner's row.
     */
    private void insertLockRow(Connection connection, TokenKey key) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LOCK_ROW)) {
            int next = bindKey(insert, 1, key);
            Jdbc.setTimestamp(insert, next, clock.instant());
            insert.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            // PostgreSQL refuses every statement after an error until the transaction ends
            Jdbc.rollbackQuietly(connection, e);
            if (!Jdbc.isUniqueViolation(e)) {
                throw e;
            }
        }
    }

    /**
     * Stores the change's result in the locked row. Empty clears the row back to a lock row rather than deleting it:
     * callers waiting for this lock then find the row, instead of starting over and racing to insert a new one.
     */
    private void write(Connection connection, TokenKey key, Optional<TokenSet> result) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            if (result.isPresent()) {
                TokenSet tokens = result.get();
                update.setString(1, secrets.seal(tokens.accessToken(), context(key, "access_token")));
                update.setString(2, tokens.refreshTokenIfAny()
                        .map(refresh -> secrets.seal(refresh, context(key, "refresh_token"))).orElse(null));
                update.setString(3, tokens.tokenType());
                Jdbc.setTimestamp(update, 4, tokens.issuedAt());
                Jdbc.setTimestamp(update, 5, tokens.expiresAt());
                update.setString(6, tokens.scope().isEmpty() ? null : tokens.scope().toString());
            } else {
                for (int column = 1; column <= 6; column++) {
                    update.setNull(column, column == 4 || column == 5 ? Types.TIMESTAMP_WITH_TIMEZONE : Types.VARCHAR);
                }
            }
            Jdbc.setTimestamp(update, 7, clock.instant());
            bindKey(update, 8, key);
            update.executeUpdate();
        }
    }

    /**
     * The token in the current row; empty for a lock row, and for ciphertext that does not decrypt under this key
     * (tampered, copied from another row, or encrypted with a key no longer configured).
     */
    private Optional<TokenSet> read(ResultSet rs, TokenKey key) throws SQLException {
        String sealedAccess = rs.getString("access_token");
        if (sealedAccess == null) {
            return Optional.empty();
        }
        Optional<Secret> access = secrets.open(sealedAccess, context(key, "access_token"));
        String sealedRefresh = rs.getString("refresh_token");
        Optional<Secret> refresh = secrets.open(sealedRefresh, context(key, "refresh_token"));
        if (access.isEmpty() || (sealedRefresh != null && refresh.isEmpty())) {
            String unreadable = access.isEmpty() ? sealedAccess : sealedRefresh;
            LOG.log(Level.WARNING, () -> "The stored token of " + describe(key) + " cannot be decrypted ("
                    + secrets.whyUnreadable(unreadable) + "): it reads as absent");
            return Optional.empty();
        }
        return Optional.of(new TokenSet(access.get(), rs.getString("token_type"), Jdbc.instant(rs, "issued_at"),
                Jdbc.instant(rs, "expires_at"), refresh.orElse(null), Scope.parse(rs.getString("scope"))));
    }

    /** Binds the three key columns from {@code index}; returns the next free index. */
    private static int bindKey(PreparedStatement ps, int index, TokenKey key) throws SQLException {
        Subject subject = key.subject();
        ps.setString(index, key.systemName());
        ps.setString(index + 1, subject.isApplication() ? APPLICATION : USER);
        ps.setString(index + 2, subject.isApplication() ? "" : subject.userId());
        return index + 3;
    }

    private static String[] context(TokenKey key, String column) {
        Subject subject = key.subject();
        return new String[] {"conduit_token", key.systemName(), subject.isApplication() ? APPLICATION : USER,
                subject.isApplication() ? "" : subject.userId(), column};
    }

    private static String describe(TokenKey key) {
        return "connected system '" + key.systemName() + "' for " + key.subject();
    }
}
