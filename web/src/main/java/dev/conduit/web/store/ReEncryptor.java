package dev.conduit.web.store;

import dev.conduit.api.Secret;
import dev.conduit.core.crypto.ReEncryption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Re-encrypts the ciphertext columns of one table under the primary key, row by row: each row is written back only if
 * its ciphertexts are still the ones read ({@code UPDATE ... WHERE column = old}), so a refresh or an edit that ran
 * meanwhile, and wrote under the primary key itself, is never overwritten with older values.
 */
final class ReEncryptor {

    private static final Logger LOG = Logger.getLogger(ReEncryptor.class.getName());

    /** The associated data a row's column is sealed with, from the row's key columns. */
    @FunctionalInterface
    interface Binding {
        String[] context(List<String> key, String column);
    }

    private final String store;
    private final String table;
    private final List<String> keyColumns;
    private final List<String> secretColumns;
    private final Binding binding;

    ReEncryptor(String store, String table, List<String> keyColumns, List<String> secretColumns, Binding binding) {
        this.store = store;
        this.table = table;
        this.keyColumns = List.copyOf(keyColumns);
        this.secretColumns = List.copyOf(secretColumns);
        this.binding = binding;
    }

    ReEncryption run(DataSource dataSource, SealedSecrets secrets) {
        long reEncrypted = 0;
        long current = 0;
        long unreadable = 0;
        long changedMeanwhile = 0;
        String select = "SELECT " + String.join(", ", keyColumns) + ", " + String.join(", ", secretColumns)
                + " FROM " + table;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement rows = connection.prepareStatement(select);
                ResultSet rs = rows.executeQuery()) {
            while (rs.next()) {
                List<String> key = new ArrayList<>();
                for (String column : keyColumns) {
                    key.add(rs.getString(column));
                }
                List<String> old = new ArrayList<>();
                for (String column : secretColumns) {
                    old.add(rs.getString(column));
                }
                Row row = reseal(key, old, secrets);
                switch (row.state) {
                    case CURRENT -> current++;
                    case UNREADABLE -> unreadable++;
                    case RESEALED -> {
                        if (write(connection, key, old, row.values)) {
                            reEncrypted++;
                        } else {
                            changedMeanwhile++;
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw Jdbc.failure("re-encrypt the " + store, e);
        }
        return new ReEncryption(store, reEncrypted, current, unreadable, changedMeanwhile);
    }

    private enum State { CURRENT, RESEALED, UNREADABLE }

    private record Row(State state, List<String> values) {
    }

    private Row reseal(List<String> key, List<String> old, SealedSecrets secrets) {
        List<String> values = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < secretColumns.size(); i++) {
            String sealed = old.get(i);
            if (sealed == null || !secrets.needsReEncryption(sealed)) {
                values.add(sealed);
                continue;
            }
            String[] context = binding.context(key, secretColumns.get(i));
            Optional<Secret> plain = secrets.open(sealed, context);
            if (plain.isEmpty()) {
                // the key columns may hold a user id or an OAuth state: the log names the store and the key id only
                LOG.log(Level.WARNING, () -> "Key rotation: a value in the " + store + " cannot be decrypted ("
                        + secrets.whyUnreadable(sealed) + "): left as it is; it reads as absent");
                return new Row(State.UNREADABLE, old);
            }
            values.add(secrets.seal(plain.get(), context));
            changed = true;
        }
        return new Row(changed ? State.RESEALED : State.CURRENT, values);
    }

    private boolean write(Connection connection, List<String> key, List<String> old, List<String> values)
            throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET ");
        for (int i = 0; i < secretColumns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(secretColumns.get(i)).append(" = ?");
        }
        sql.append(" WHERE ");
        for (int i = 0; i < keyColumns.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append(keyColumns.get(i)).append(" = ?");
        }
        for (int i = 0; i < secretColumns.size(); i++) {
            sql.append(" AND ").append(secretColumns.get(i)).append(old.get(i) == null ? " IS NULL" : " = ?");
        }
        try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
            int index = 1;
            for (String value : values) {
                update.setString(index++, value);
            }
            for (String value : key) {
                update.setString(index++, value);
            }
            for (String value : old) {
                if (value != null) {
                    update.setString(index++, value);
                }
            }
            return update.executeUpdate() == 1;
        }
    }
}
