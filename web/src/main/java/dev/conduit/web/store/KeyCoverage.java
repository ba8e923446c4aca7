package dev.conduit.web.store;

import dev.conduit.core.crypto.SecretCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Which encryption keys the stored rows need that this server lacks. Several servers share one database, so a server
 * configured with another {@code conduit.encryption.key} than the others cannot read what they wrote: that is a
 * misconfigured server, not a set of broken systems, and readiness says so with the key ids it lacks.
 *
 * <p>Only the connected systems' secrets are checked. Every server writes them with the newest key, so a key missing
 * there means this server's configuration differs from the fleet's. A token row under a missing key is one user's
 * leftover (written before a rotation retired that key): it reads as absent and that user authorizes again, so it
 * must not make the whole server not ready.
 *
 * <p>The query asks the database only for values <em>not</em> under a configured key (every ciphertext starts with
 * {@code v1.<keyId>.}), at most {@value #SAMPLE} of them, so that checking a well-configured server returns no rows.
 * The systems table holds one row per connected system, so the scan stays small however many users there are.
 */
public final class KeyCoverage {

    private static final int SAMPLE = 100;

    private final DataSource dataSource;
    private final SecretCipher cipher;

    public KeyCoverage(DataSource dataSource, SecretCipher cipher) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /** The ids of the keys stored systems' secrets were encrypted with and this server lacks; empty when it has them all. */
    public Set<String> missingKeyIds() throws SQLException {
        Set<String> missing = new TreeSet<>();
        try (Connection connection = dataSource.getConnection()) {
            collect(connection, "conduit_connected_system", "secrets", missing);
        }
        return missing;
    }

    /** The key ids this server has, for messages. */
    public Set<String> configuredKeyIds() {
        return new TreeSet<>(cipher.keyIds());
    }

    private void collect(Connection connection, String table, String column, Set<String> missing)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(column).append(" FROM ").append(table)
                .append(" WHERE ").append(column).append(" IS NOT NULL");
        Set<String> configured = cipher.keyIds();
        for (int i = 0; i < configured.size(); i++) {
            sql.append(" AND ").append(column).append(" NOT LIKE ? ESCAPE '!'");
        }
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            select.setMaxRows(SAMPLE);
            int index = 1;
            for (String keyId : configured) {
                select.setString(index++, "v1." + keyId.replace("!", "!!").replace("%", "!%").replace("_", "!_")
                        + ".%");
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    SecretCipher.keyIdOf(rs.getString(1)).ifPresent(missing::add);
                }
            }
        }
    }
}
