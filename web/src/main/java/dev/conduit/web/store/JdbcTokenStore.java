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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps tokens in the {@code conduit_token} table, access and refresh tokens encrypted and bound to their key.
 *
 * <p>{@link #update} serialises the changes of one key across every node that shares the database with a <em>lease</em>
 * on the key's row ({@code lease_owner}, {@code lease_until}), taken and released in short auto-committed statements.
 * No connection and no transaction is held while the change runs, which is while the token request goes out: a slow
 * provider and a burst of expiries cannot exhaust the connection pool, and callers waiting for a key hold no connection
 * either (they poll the lease). Why a lease rather than a per-node bulkhead around row locks: a bulkhead only bounds how
 * many connections are held across token requests, it still holds them, and waiters on another node's row lock hold
 * one each; a lease holds none, and keeps the guarantee of one token request per key across nodes.
 *
 * <p>A lease expires at {@code lease_until}, so a node that crashed while holding one blocks that key only until then;
 * a lease this node left behind (its database went away before the release) is taken back at once by this node. The
 * first acquisition of a key has no row to lease yet: the store inserts an empty row (tolerating losing the race to
 * another node's identical insert) and leases that. An empty row reads as "no token", and lasts only while leased: a
 * change that ends with no token (a disconnect, a failed first request) deletes the row as it releases the lease.
 *
 * <p>A change that outlasts its lease (longer than the lease duration) is not stored, since another node may own the
 * key by then; nor is a change whose key was removed meanwhile (disconnect, edit, delete).
 */
public final class JdbcTokenStore implements TokenStore, ReEncryptable {

    /** The longest a caller waits for another request of the same key before giving up, unless configured otherwise. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How long a lease lasts unless configured otherwise: longer than one token request may take (connect plus read
     * timeout, 15 s by default), short enough that a crashed node's keys are free again soon.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(JdbcTokenStore.class.getName());

    /**
     * A row may vanish between insert and lease (a concurrent remove, or a holder whose change emptied it); after this
     * many times in a row without ever seeing a holder, give up.
     */
    private static final int MAX_LEASE_ATTEMPTS = 10;

    /** Waiting for a lease polls; the pause grows from the first to the last value, so short holds cost little. */
    private static final long FIRST_POLL_MILLIS = 5;
    private static final long LAST_POLL_MILLIS = 100;

    private static final String APPLICATION = "APPLICATION";
    private static final String USER = "USER";
    private static final String KEY = "system_name = ? AND subject_kind = ? AND user_id = ?";
    private static final String COLUMNS =
            "access_token, refresh_token, token_type, issued_at, expires_at, scope FROM conduit_token WHERE " + KEY;

    private static final String SELECT = "SELECT " + COLUMNS;
    private static final String INSERT_EMPTY_ROW =
            "INSERT INTO conduit_token (system_name, subject_kind, user_id, updated_at) VALUES (?, ?, ?, ?)";
    private static final String TAKE_LEASE = "UPDATE conduit_token SET lease_owner = ?, lease_until = ? WHERE " + KEY
            + " AND (lease_owner IS NULL OR lease_until <= ?)";
    private static final String LEASE_HOLDER = "SELECT lease_owner FROM conduit_token WHERE " + KEY;
    private static final String TAKE_OWN_LEASE_BACK =
            "UPDATE conduit_token SET lease_owner = ?, lease_until = ? WHERE " + KEY + " AND lease_owner = ?";
    private static final String WRITE_AND_RELEASE = "UPDATE conduit_token SET access_token = ?, refresh_token = ?,"
            + " token_type = ?, issued_at = ?, expires_at = ?, scope = ?, updated_at = ?, lease_owner = NULL,"
            + " lease_until = NULL WHERE " + KEY + " AND lease_owner = ?";
    private static final String RELEASE =
            "UPDATE conduit_token SET lease_owner = NULL, lease_until = NULL WHERE " + KEY + " AND lease_owner = ?";
    private static final String DELETE_AND_RELEASE = "DELETE FROM conduit_token WHERE " + KEY + " AND lease_owner = ?";
    private static final String DELETE_EMPTY_AND_RELEASE =
            "DELETE FROM conduit_token WHERE " + KEY + " AND lease_owner = ? AND access_token IS NULL";
    private static final String DELETE_UNLEASED =
            "DELETE FROM conduit_token WHERE " + KEY + " AND (lease_owner IS NULL OR lease_until <= ?)";
    private static final String DELETE = "DELETE FROM conduit_token WHERE " + KEY;
    private static final String DELETE_SYSTEM = "DELETE FROM conduit_token WHERE system_name = ?";

    private final DataSource dataSource;
    private final SealedSecrets secrets;
    private final Clock clock;
    private final Duration lockTimeout;
    private final Duration lease;

    /** This store's leases are named {@code <node>:<n>}: the node part finds the leases this node left behind. */
    private final String node = UUID.randomUUID().toString();
    private final AtomicLong leaseSequence = new AtomicLong();
    private final Set<String> leasesHeld = ConcurrentHashMap.newKeySet();

    /** A store that waits at most {@link #DEFAULT_LOCK_TIMEOUT} for a key and leases it for {@link #DEFAULT_LEASE}. */
    public JdbcTokenStore(DataSource dataSource, SecretCipher cipher, Clock clock) {
        this(dataSource, cipher, clock, DEFAULT_LOCK_TIMEOUT, DEFAULT_LEASE);
    }

    /** A store that leases a key for {@link #DEFAULT_LEASE}. */
    public JdbcTokenStore(DataSource dataSource, SecretCipher cipher, Clock clock, Duration lockTimeout) {
        this(dataSource, cipher, clock, lockTimeout, DEFAULT_LEASE);
    }

    /**
     * @param lockTimeout how long {@link #update} waits for a key that another request holds; then it fails with
     *                    {@code ENDPOINT_UNAVAILABLE}
     * @param lease       how long a key's lease lasts: longer than the longest token request, since a change that
     *                    outlasts it is not stored
     */
    public JdbcTokenStore(DataSource dataSource, SecretCipher cipher, Clock clock, Duration lockTimeout,
            Duration lease) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.secrets = new SealedSecrets(cipher);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lockTimeout = positive("lockTimeout", lockTimeout);
        this.lease = positive("lease", lease);
    }

    private static Duration positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
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
        try (Connection connection = dataSource.getConnection()) {
            return select(connection, key);
        } catch (SQLException e) {
            throw Jdbc.failure("read the token of " + describe(key), e);
        }
    }

    @Override
    public void save(TokenKey key, TokenSet tokens) {
        Objects.requireNonNull(tokens, "tokens");
        update(key, current -> Optional.of(tokens));
    }

    /**
     * {@inheritDoc} Waits (up to the lock timeout) for an update that holds the key's lease, so that the token it is
     * about to store does not survive the removal; after the timeout, removes the row anyway, and the update's result
     * is then not stored.
     */
    @Override
    public void remove(TokenKey key) {
        Objects.requireNonNull(key, "key");
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        String action = "remove the token of " + describe(key);
        for (int pause = 0; ; pause++) {
            boolean force = System.nanoTime() >= deadline;
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement delete = connection.prepareStatement(force ? DELETE : DELETE_UNLEASED)) {
                int next = bindKey(delete, 1, key);
                if (!force) {
                    Jdbc.setTimestamp(delete, next, clock.instant());
                }
                if (delete.executeUpdate() == 1 || force || select(connection, key, LEASE_HOLDER).isEmpty()) {
                    return;
                }
            } catch (SQLException e) {
                throw Jdbc.failure(action, e);
            }
            pause(pause);
        }
    }

    /** {@inheritDoc} Updates of the system's keys that run meanwhile are not stored. */
    @Override
    public void removeAll(String systemName) {
        Objects.requireNonNull(systemName, "systemName");
        Jdbc.updateByKey(dataSource, DELETE_SYSTEM, systemName,
                () -> "remove the tokens of connected system '" + systemName + "'");
    }

    @Override
    public Optional<TokenSet> update(TokenKey key, UnaryOperator<Optional<TokenSet>> change) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(change, "change");
        String owner = node + ":" + leaseSequence.incrementAndGet();
        leasesHeld.add(owner);
        try {
            Optional<TokenSet> current = takeLease(key, owner);
            Optional<TokenSet> result;
            try {
                // the token request happens here: no connection, no transaction, only the lease
                result = Objects.requireNonNull(change.apply(current), "the change returned null, not empty");
            } catch (RuntimeException | Error e) {
                release(key, owner, e);
                throw e;
            }
            writeAndRelease(key, owner, result);
            return result;
        } finally {
            leasesHeld.remove(owner);
        }
    }

    /** Takes the key's lease, waiting for another holder up to the lock timeout; returns the key's current token. */
    private Optional<TokenSet> takeLease(TokenKey key, String owner) {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        int vanished = 0;
        for (int pause = 0; ; pause++) {
            try (Connection connection = dataSource.getConnection()) {
                Instant now = clock.instant();
                if (lease(connection, TAKE_LEASE, key, owner, now, now) == 1) {
                    return select(connection, key);
                }
                Optional<String> holder = select(connection, key, LEASE_HOLDER);
                if (holder.isPresent()) {
                    vanished = 0; // a holder that deletes the row when done is progress, not a loop
                }
                if (holder.isEmpty()) {
                    if (++vanished > MAX_LEASE_ATTEMPTS) {
                        throw ConduitException.builder(ErrorCode.STORE_UNAVAILABLE, "Could not lease the token of "
                                + describe(key) + ": its row was removed " + MAX_LEASE_ATTEMPTS + " times in a row")
                                .system(key.systemName()).build();
                    }
                    insertEmptyRow(connection, key);
                    continue;
                }
                if (isLeftBehindHere(holder.get())
                        && lease(connection, TAKE_OWN_LEASE_BACK, key, owner, now, holder.get()) == 1) {
                    return select(connection, key);
                }
            } catch (SQLException e) {
                throw Jdbc.failure("lease the token of " + describe(key), e);
            }
            if (System.nanoTime() >= deadline) {
                throw ConduitException.builder(ErrorCode.ENDPOINT_UNAVAILABLE, "Could not update the token of "
                        + describe(key) + ": gave up after " + lockTimeout.toSeconds() + " s waiting for another"
                        + " request for the same token to finish").system(key.systemName()).build();
            }
            pause(pause);
        }
    }

    /** A lease of this node that no update of this node holds: its release failed (the database was away). */
    private boolean isLeftBehindHere(String holder) {
        return holder.startsWith(node + ":") && !leasesHeld.contains(holder);
    }

    private int lease(Connection connection, String sql, TokenKey key, String owner, Instant now, Object condition)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, owner);
            Jdbc.setTimestamp(update, 2, now.plus(lease));
            int next = bindKey(update, 3, key);
            if (condition instanceof Instant instant) {
                Jdbc.setTimestamp(update, next, instant);
            } else {
                update.setString(next, (String) condition);
            }
            return update.executeUpdate();
        }
    }

    /**
     * Inserts an empty row for the key, so there is a row to lease. Another node inserting the same row at the same
     * time makes one of the inserts fail on the primary key: that loser simply goes on to lease the winner's row.
     */
    private void insertEmptyRow(Connection connection, TokenKey key) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EMPTY_ROW)) {
            int next = bindKey(insert, 1, key);
            Jdbc.setTimestamp(insert, next, clock.instant());
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!Jdbc.isUniqueViolation(e)) {
                throw e;
            }
        }
    }

    /** Releases the lease after a failed change; a row that holds no token (its first acquisition) goes with it. */
    private void release(TokenKey key, String owner, Throwable failure) {
        try (Connection connection = dataSource.getConnection()) {
            if (leased(connection, DELETE_EMPTY_AND_RELEASE, key, owner) == 0) {
                leased(connection, RELEASE, key, owner);
            }
        } catch (SQLException e) {
            // the lease expires by itself, and this node takes it back at once
            failure.addSuppressed(e);
            LOG.log(Level.FINE, "could not release the lease of " + describe(key), e);
        }
    }

    /**
     * Stores the change's result and releases the lease in one statement, only while this update still owns it. Empty
     * deletes the row, so that a disconnect (of a user who may never have authorized) leaves nothing behind; callers
     * waiting for the key then insert a new row to lease.
     */
    private void writeAndRelease(TokenKey key, String owner, Optional<TokenSet> result) {
        if (result.isEmpty()) {
            try (Connection connection = dataSource.getConnection()) {
                leased(connection, DELETE_AND_RELEASE, key, owner);
            } catch (SQLException e) {
                throw Jdbc.failure("remove the token of " + describe(key), e);
            }
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(WRITE_AND_RELEASE)) {
            TokenSet tokens = result.get();
            update.setString(1, secrets.seal(tokens.accessToken(), context(key, "access_token")));
            update.setString(2, tokens.refreshTokenIfAny()
                    .map(refresh -> secrets.seal(refresh, context(key, "refresh_token"))).orElse(null));
            update.setString(3, tokens.tokenType());
            Jdbc.setTimestamp(update, 4, tokens.issuedAt());
            Jdbc.setTimestamp(update, 5, tokens.expiresAt());
            update.setString(6, tokens.scope().isEmpty() ? null : tokens.scope().toString());
            Jdbc.setTimestamp(update, 7, clock.instant());
            int next = bindKey(update, 8, key);
            update.setString(next, owner);
            if (update.executeUpdate() == 0) {
                LOG.log(Level.FINE, () -> "the token of " + describe(key) + " was removed, or its lease expired,"
                        + " while it was being renewed: the renewed token is not stored");
            }
        } catch (SQLException e) {
            throw Jdbc.failure("store the token of " + describe(key), e);
        }
    }

    /** Runs a statement of the key's row that holds only while {@code owner} has the lease; the rows it changed. */
    private static int leased(Connection connection, String sql, TokenKey key, String owner) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bindKey(statement, 1, key);
            statement.setString(next, owner);
            return statement.executeUpdate();
        }
    }

    private Optional<TokenSet> select(Connection connection, TokenKey key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            bindKey(select, 1, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? read(rs, key) : Optional.empty();
            }
        }
    }

    /** The lease holder of the key's row: empty when there is no row, "" when the row is not leased. */
    private static Optional<String> select(Connection connection, TokenKey key, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bindKey(select, 1, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(Objects.requireNonNullElse(rs.getString(1), "")) : Optional.empty();
            }
        }
    }

    private static void pause(int count) {
        long millis = Math.min(LAST_POLL_MILLIS, FIRST_POLL_MILLIS << Math.min(count, 5));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.ENDPOINT_UNAVAILABLE, "interrupted while waiting for a token");
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
