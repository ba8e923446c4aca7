package dev.conduit.web.store;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.PendingAuthorizationStore;
import dev.conduit.api.grant.State;
import dev.conduit.api.token.Subject;
import dev.conduit.core.crypto.ReEncryptable;
import dev.conduit.core.crypto.ReEncryption;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.store.InMemoryPendingAuthorizationStore;
import dev.conduit.core.store.PendingLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps pending authorizations in {@code conduit_pending_authorization}, the PKCE verifier encrypted and bound to its
 * state, system and user. {@link #markUsed} is one conditional {@code UPDATE}, so exactly one caller on any node wins.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-10.12">RFC 6749 section 10.12</a> (one-time state)
 */
public final class JdbcPendingAuthorizationStore implements PendingAuthorizationStore, ReEncryptable {

    private static final Logger LOG = Logger.getLogger(JdbcPendingAuthorizationStore.class.getName());

    private static final String INSERT = "INSERT INTO conduit_pending_authorization (state, system_name, user_id,"
            + " code_verifier, redirect_uri, issuer, expires_at, used, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, ?)";
    private static final String SELECT = "SELECT state, system_name, user_id, code_verifier, redirect_uri, issuer,"
            + " expires_at FROM conduit_pending_authorization WHERE state = ?";
    private static final String MARK_USED =
            "UPDATE conduit_pending_authorization SET used = TRUE WHERE state = ? AND used = FALSE";
    private static final String PURGE = "DELETE FROM conduit_pending_authorization WHERE expires_at < ?";
    private static final String COUNT_WAITING =
            "SELECT COUNT(*) FROM conduit_pending_authorization WHERE used = FALSE AND expires_at >= ?";

    /** Saving purges what expired at most this often: one scan per minute, not one per link. */
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private static final String CAP_USER = "DELETE FROM conduit_pending_authorization WHERE user_id = ? AND state NOT IN"
            + " (SELECT state FROM conduit_pending_authorization WHERE user_id = ?"
            + " ORDER BY expires_at DESC, created_at DESC, state FETCH FIRST ? ROWS ONLY)";

    private final DataSource dataSource;
    private final SealedSecrets secrets;
    private final Clock clock;
    private final int maxPerUser;
    private final Duration grace;
    private final AtomicReference<Instant> nextPurge = new AtomicReference<>(Instant.MIN);

    /**
     * A store that keeps at most {@link InMemoryPendingAuthorizationStore#DEFAULT_MAX_PER_USER} open links per user,
     * and expired ones for {@link InMemoryPendingAuthorizationStore#DEFAULT_GRACE}, as the in-memory store does.
     */
    public JdbcPendingAuthorizationStore(DataSource dataSource, SecretCipher cipher, Clock clock) {
        this(dataSource, cipher, clock, InMemoryPendingAuthorizationStore.DEFAULT_MAX_PER_USER,
                InMemoryPendingAuthorizationStore.DEFAULT_GRACE);
    }

    /**
     * @param maxPerUser the open links one user may hold; saving another forgets the user's oldest
     * @param grace      how long an expired link is kept, so that its late callback is told "expired", not "unknown"
     */
    public JdbcPendingAuthorizationStore(DataSource dataSource, SecretCipher cipher, Clock clock, int maxPerUser,
            Duration grace) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.secrets = new SealedSecrets(cipher);
        this.clock = Objects.requireNonNull(clock, "clock");
        PendingLimits limits = new PendingLimits(maxPerUser, grace);
        this.maxPerUser = limits.maxPerUser();
        this.grace = limits.grace();
    }

    /**
     * {@inheritDoc} Saving also bounds the table: it forgets the user's oldest links beyond the per-user limit, and
     * (at most once a minute) what expired longer than the grace ago, so that neither one user nor time can grow it
     * without end.
     *
     * @throws ConduitException {@code INTERNAL_ERROR} when the state was already issued (states are random: a repeat
     *                          means a broken random source, never something to overwrite)
     */
    @Override
    public void save(PendingAuthorization pending) {
        Objects.requireNonNull(pending, "pending");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            String state = pending.state().value();
            insert.setString(1, state);
            insert.setString(2, pending.systemName());
            insert.setString(3, pending.user().userId());
            insert.setString(4, secrets.seal(Secret.of(pending.codeVerifier().value()),
                    context(state, pending.systemName(), pending.user().userId())));
            insert.setString(5, pending.redirectUri());
            insert.setString(6, pending.issuer());
            Jdbc.setTimestamp(insert, 7, pending.expiresAt());
            Jdbc.setTimestamp(insert, 8, clock.instant());
            insert.executeUpdate();
            Instant now = clock.instant();
            if (now.isAfter(nextPurge.get()) && nextPurge.compareAndSet(nextPurge.get(), now.plus(PURGE_INTERVAL))) {
                purge(connection, now.minus(grace));
            }
            try (PreparedStatement cap = connection.prepareStatement(CAP_USER)) {
                cap.setString(1, pending.user().userId());
                cap.setString(2, pending.user().userId());
                cap.setInt(3, maxPerUser);
                cap.executeUpdate();
            }
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                throw ConduitException.builder(ErrorCode.INTERNAL_ERROR,
                        "An authorization state was issued twice; a state must be unique").system(pending.systemName())
                        .build();
            }
            throw Jdbc.failure("save a pending authorization for connected system '" + pending.systemName() + "'", e);
        }
    }

    /** {@inheritDoc} An entry whose verifier does not decrypt (tampered, unknown key) is absent. */
    @Override
    public Optional<PendingAuthorization> find(String state) {
        Objects.requireNonNull(state, "state");
        return Jdbc.findByKey(dataSource, SELECT, state, this::read, () -> "read a pending authorization");
    }

    @Override
    public boolean markUsed(String state) {
        Objects.requireNonNull(state, "state");
        return Jdbc.updateByKey(dataSource, MARK_USED, state, () -> "mark a pending authorization used") == 1;
    }

    /** How many authorization links are out, neither completed nor expired (the pending-authorizations gauge). */
    public long countWaiting() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(COUNT_WAITING)) {
            Jdbc.setTimestamp(count, 1, clock.instant());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("count pending authorizations", e);
        }
    }

    @Override
    public void purgeExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        try (Connection connection = dataSource.getConnection()) {
            purge(connection, now);
        } catch (SQLException e) {
            throw Jdbc.failure("purge expired pending authorizations", e);
        }
    }

    private static void purge(Connection connection, Instant expiredBefore) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(PURGE)) {
            Jdbc.setTimestamp(delete, 1, expiredBefore);
            delete.executeUpdate();
        }
    }

    private Optional<PendingAuthorization> read(ResultSet rs) throws SQLException {
        String state = rs.getString("state");
        String system = rs.getString("system_name");
        String user = rs.getString("user_id");
        String sealed = rs.getString("code_verifier");
        Optional<Secret> verifier = secrets.open(sealed, context(state, system, user));
        if (verifier.isEmpty()) {
            LOG.log(Level.WARNING, () -> "A pending authorization for connected system '" + system
                    + "' cannot be decrypted (" + secrets.whyUnreadable(sealed) + "): it reads as absent");
            return Optional.empty();
        }
        return Optional.of(new PendingAuthorization(new State(state), system, Subject.user(user),
                new CodeVerifier(verifier.get().reveal()), rs.getString("redirect_uri"), rs.getString("issuer"),
                Jdbc.instant(rs, "expires_at")));
    }

    /** {@inheritDoc} The PKCE verifiers of the authorizations not completed yet. */
    @Override
    public ReEncryption reEncrypt() {
        return new ReEncryptor("pending authorizations", "conduit_pending_authorization",
                List.of("state", "system_name", "user_id"), List.of("code_verifier"),
                (key, column) -> context(key.get(0), key.get(1), key.get(2))).run(dataSource, secrets);
    }

    private static String[] context(String state, String system, String user) {
        return new String[] {"conduit_pending_authorization", state, system, user, "code_verifier"};
    }
}
