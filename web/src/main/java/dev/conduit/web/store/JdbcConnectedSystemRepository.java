package dev.conduit.web.store;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.core.config.LayeredSystemRepository;
import dev.conduit.core.crypto.ReEncryptable;
import dev.conduit.core.crypto.ReEncryption;
import dev.conduit.core.crypto.SecretCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps connected systems in the {@code conduit_connected_system} table: the configuration as a JSON document without
 * secrets, the client secret and secret variables as one ciphertext (the seal) bound to the whole configuration (name,
 * grant type and document), and the status. A row whose configuration was edited in the database does not match its
 * seal and is refused ({@code CONFIGURATION_TAMPERED}): no request is made to the endpoints it names.
 *
 * <p>Names are unique through the primary key, so two nodes creating the same name at once get one
 * {@code DUPLICATE_SYSTEM}. Updates are optimistic: {@code UPDATE ... WHERE version = ?} changes a row only when
 * nobody else changed it since it was read. The status is not versioned, so recording an error never makes an
 * administrator's edit fail.
 */
public final class JdbcConnectedSystemRepository implements ConnectedSystemRepository, ReEncryptable {

    private static final Logger LOG = Logger.getLogger(JdbcConnectedSystemRepository.class.getName());

    /** The width of the {@code status_reason} column; longer reasons are shortened, never refused. */
    static final int MAX_REASON_LENGTH = 2000;

    private static final String COLUMNS = "name, version, grant_type, configuration, secrets";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM conduit_connected_system WHERE name = ?";
    private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM conduit_connected_system";

    private static final String SELECT_VERSION = "SELECT version FROM conduit_connected_system WHERE name = ?";
    private static final String INSERT = "INSERT INTO conduit_connected_system (name, version, grant_type, configuration,"
            + " secrets, status_state, status_code, status_reason, status_since, created_at, updated_at)"
            + " VALUES (?, 1, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)";
    private static final String UPDATE = "UPDATE conduit_connected_system SET version = version + 1, grant_type = ?,"
            + " configuration = ?, secrets = ?, updated_at = ? WHERE name = ? AND version = ?";
    private static final String DELETE = "DELETE FROM conduit_connected_system WHERE name = ?";
    private static final String SELECT_STATUS =
            "SELECT status_state, status_code, status_reason, status_since FROM conduit_connected_system WHERE name = ?";
    private static final String UPDATE_STATUS = "UPDATE conduit_connected_system SET status_state = ?, status_code = ?,"
            + " status_reason = ?, status_since = ? WHERE name = ?";

    /** The secrets document of a system that has none: sealed all the same, so that its configuration is bound. */
    private static final String NO_SECRETS = "{}";

    private final DataSource dataSource;
    private final SealedSecrets secrets;
    private final Clock clock;

    public JdbcConnectedSystemRepository(DataSource dataSource, SecretCipher cipher, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.secrets = new SealedSecrets(cipher);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<ConnectedSystem> find(String name) {
        Objects.requireNonNull(name, "name");
        return Jdbc.findByKey(dataSource, SELECT_ONE, name, rs -> Optional.of(read(rs)),
                () -> "read connected system '" + name + "'");
    }

    /** {@inheritDoc} Ordered by {@link LayeredSystemRepository#NAME_ORDER}, whatever the database's collation. */
    @Override
    public List<ConnectedSystem> findAll() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SELECT_ALL);
                ResultSet rs = select.executeQuery()) {
            List<ConnectedSystem> systems = new ArrayList<>();
            while (rs.next()) {
                try {
                    systems.add(read(rs));
                } catch (ConduitException e) {
                    // one refused row (logged by read) must not hide every other system from the list
                    if (e.code() != ErrorCode.CONFIGURATION_TAMPERED) {
                        throw e;
                    }
                }
            }
            systems.sort(Comparator.comparing(ConnectedSystem::name, LayeredSystemRepository.NAME_ORDER));
            return systems;
        } catch (SQLException e) {
            throw Jdbc.failure("list the connected systems", e);
        }
    }

    @Override
    public ConnectedSystem create(ConnectedSystem system) {
        Objects.requireNonNull(system, "system");
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, system.name());
            insert.setString(2, system.grantType());
            String configuration = ConnectedSystemDocument.configurationJson(system);
            insert.setString(3, configuration);
            insert.setString(4, seal(system, configuration));
            insert.setString(5, SystemStatus.State.OK.name());
            Jdbc.setTimestamp(insert, 6, now);
            Jdbc.setTimestamp(insert, 7, now);
            Jdbc.setTimestamp(insert, 8, now);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                throw ConduitException.builder(ErrorCode.DUPLICATE_SYSTEM,
                        "name: a connected system named '" + system.name() + "' already exists")
                        .field("name").system(system.name()).build();
            }
            throw Jdbc.failure("create connected system '" + system.name() + "'", e);
        }
        return system.toBuilder().version(1).build();
    }

    @Override
    public ConnectedSystem update(ConnectedSystem system) {
        Objects.requireNonNull(system, "system");
        try (Connection connection = dataSource.getConnection()) {
            int changed;
            try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                update.setString(1, system.grantType());
                String configuration = ConnectedSystemDocument.configurationJson(system);
                update.setString(2, configuration);
                update.setString(3, seal(system, configuration));
                Jdbc.setTimestamp(update, 4, clock.instant());
                update.setString(5, system.name());
                update.setLong(6, system.version());
                changed = update.executeUpdate();
            }
            if (changed == 0) {
                throw notUpdated(connection, system);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("update connected system '" + system.name() + "'", e);
        }
        return system.toBuilder().version(system.version() + 1).build();
    }

    /** Why an optimistic update changed no row: the system is gone, or someone else changed it first. */
    private static ConduitException notUpdated(Connection connection, ConnectedSystem system) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_VERSION)) {
            select.setString(1, system.name());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return ConnectedSystemRepository.unknown(system.name());
                }
                return ConduitException.builder(ErrorCode.CONCURRENT_MODIFICATION, "version: connected system '"
                        + system.name() + "' is at version " + rs.getLong(1) + ", the change was made to version "
                        + system.version()).field("version").system(system.name()).build();
            }
        }
    }

    @Override
    public boolean delete(String name) {
        Objects.requireNonNull(name, "name");
        return Jdbc.updateByKey(dataSource, DELETE, name, () -> "delete connected system '" + name + "'") > 0;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ConduitException {@code UNKNOWN_SYSTEM} when no system has the name
     */
    @Override
    public SystemStatus status(String name) {
        Objects.requireNonNull(name, "name");
        return Jdbc.findByKey(dataSource, SELECT_STATUS, name, rs -> Optional.of(readStatus(rs)),
                () -> "read the status of connected system '" + name + "'")
                .orElseThrow(() -> ConnectedSystemRepository.unknown(name));
    }

    /**
     * {@inheritDoc}
     *
     * @throws ConduitException {@code UNKNOWN_SYSTEM} when no system has the name
     */
    @Override
    public void setStatus(String name, SystemStatus status) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(UPDATE_STATUS)) {
            update.setString(1, status.state().name());
            update.setString(2, status.code() == null ? null : status.code().name());
            update.setString(3, shorten(status.reason()));
            Jdbc.setTimestamp(update, 4, status.since());
            update.setString(5, name);
            if (update.executeUpdate() == 0) {
                throw ConnectedSystemRepository.unknown(name);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("record the status of connected system '" + name + "'", e);
        }
    }

    /** {@inheritDoc} The seals (secrets bound to the configuration) of every stored system. */
    @Override
    public ReEncryption reEncrypt() {
        return new ReEncryptor("connected system secrets", "conduit_connected_system",
                List.of("name", "grant_type", "configuration"), List.of("secrets"),
                (key, column) -> seal(key.get(0), key.get(1), key.get(2))).run(dataSource, secrets);
    }

    /**
     * The system's secrets, encrypted with the whole stored configuration (name, grant type, configuration document)
     * as associated data. A system without secrets is sealed too (an empty secrets document), so that every row is
     * authenticated: a configuration edited in the database no longer matches its seal.
     */
    private String seal(ConnectedSystem system, String configuration) {
        Secret secretsJson = ConnectedSystemDocument.secretsJson(system).orElse(Secret.of(NO_SECRETS));
        return secrets.seal(secretsJson, seal(system.name(), system.grantType(), configuration));
    }

    /**
     * Reads a row whose seal opens; a row whose seal does not (edited in the database, or sealed with a key no longer
     * configured) is refused, since its endpoints cannot be trusted with the secrets or the tokens.
     */
    private ConnectedSystem read(ResultSet rs) throws SQLException {
        String name = rs.getString("name");
        String configuration = rs.getString("configuration");
        String sealed = rs.getString("secrets");
        Optional<Secret> secretsJson = secrets.open(sealed, seal(name, rs.getString("grant_type"), configuration));
        if (secretsJson.isEmpty()) {
            String why = sealed == null ? "it has no seal" : secrets.whyUnreadable(sealed);
            LOG.log(Level.SEVERE, () -> "Connected system '" + name + "' is refused: its stored configuration does not"
                    + " match its seal (" + why + "). No request is made with it.");
            throw ConduitException.builder(ErrorCode.CONFIGURATION_TAMPERED, "Stored connected system '" + name
                    + "' is refused: its configuration does not match its seal (" + why + ")").system(name).build();
        }
        Optional<Secret> present = NO_SECRETS.equals(secretsJson.get().reveal()) ? Optional.empty() : secretsJson;
        return ConnectedSystemDocument.read(name, rs.getLong("version"), configuration, present, false);
    }

    /**
     * Seals the rows an earlier Conduit wrote (secrets bound to the name only, or none), once: only while no row of the
     * table is sealed whole yet, so that a row written into the database later is never blessed by a restart.
     *
     * @return how many rows were sealed
     */
    public int sealRowsOfEarlierVersions() {
        List<String[]> legacy = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SELECT_ALL);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString("name");
                String grantType = rs.getString("grant_type");
                String configuration = rs.getString("configuration");
                String sealed = rs.getString("secrets");
                if (sealed != null && secrets.open(sealed, seal(name, grantType, configuration)).isPresent()) {
                    return 0;
                }
                legacy.add(new String[] {name, grantType, configuration, sealed});
            }
            int sealedRows = 0;
            for (String[] row : legacy) {
                Optional<Secret> plain = row[3] == null ? Optional.of(Secret.of(NO_SECRETS))
                        : secrets.open(row[3], new String[] {"conduit_connected_system", row[0], "secrets"});
                if (plain.isEmpty()) {
                    continue;
                }
                try (PreparedStatement update = connection.prepareStatement("UPDATE conduit_connected_system"
                        + " SET secrets = ? WHERE name = ? AND configuration = ?")) {
                    update.setString(1, secrets.seal(plain.get(), seal(row[0], row[1], row[2])));
                    update.setString(2, row[0]);
                    update.setString(3, row[2]);
                    sealedRows += update.executeUpdate();
                }
            }
            int count = sealedRows;
            if (count > 0) {
                LOG.info(() -> "Sealed " + count + " connected systems stored by an earlier version: each stored"
                        + " configuration is now authenticated with its secrets");
            }
            return sealedRows;
        } catch (SQLException e) {
            throw Jdbc.failure("seal the connected systems of an earlier version", e);
        }
    }

    private static SystemStatus readStatus(ResultSet rs) throws SQLException {
        SystemStatus.State state = SystemStatus.State.valueOf(rs.getString("status_state"));
        Instant since = Jdbc.instant(rs, "status_since");
        if (state == SystemStatus.State.OK) {
            return SystemStatus.ok(since);
        }
        return SystemStatus.error(errorCode(rs.getString("status_code")), rs.getString("status_reason"), since);
    }

    /** An error code stored by a Conduit that knew more codes reads as {@code INTERNAL_ERROR}, not as a failure. */
    private static ErrorCode errorCode(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return ErrorCode.INTERNAL_ERROR;
        }
    }

    private static String shorten(String reason) {
        if (reason == null || reason.length() <= MAX_REASON_LENGTH) {
            return reason;
        }
        return reason.substring(0, MAX_REASON_LENGTH - 1) + "\u2026";
    }


    /** The associated data of a row's seal: the whole stored configuration, each part length-prefixed. */
    private static String[] seal(String name, String grantType, String configuration) {
        return new String[] {"conduit_connected_system", name, "sealed-v2", grantType, configuration};
    }
}
