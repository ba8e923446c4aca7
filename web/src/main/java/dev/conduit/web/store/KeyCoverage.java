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
 * <p>The query asks the database only for values <em>not</em> under a configured key (every ciphertext starts with
 * {@code v1.<keyId>.}), at most {@value #SAMPLE} of them, so that checking a well-configured server reads no rows.
 */
public final class KeyCoverage {

    private static final int SAMPLE = 100;
    private static final String[][] SEALED_COLUMNS = {
        {"conduit_connected_system", "secrets"},
        {"conduit_token", "access_token"},
    };

    private final DataSource dataSource;
    private final SecretCipher cipher;

    public KeyCoverage(DataSource dataSource, SecretCipher cipher) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /** The ids of the keys stored rows were encrypted with and this server does not have; empty when it has them all. */
    public Set<String> missingKeyIds() throws SQLException {
        Set<String> missing = new TreeSet<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String[] column : SEALED_COLUMNS) {
                collect(connection, column[0], column[1], missing);
            }
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
