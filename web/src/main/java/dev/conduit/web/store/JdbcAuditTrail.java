package dev.conduit.web.store;

import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditOutcome;
import dev.conduit.core.audit.AuditPage;
import dev.conduit.core.audit.AuditQuery;
import dev.conduit.core.audit.AuditRecorder;
import dev.conduit.core.audit.AuditTrail;
import dev.conduit.web.json.SharedJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import javax.sql.DataSource;

/**
 * Keeps the audit trail in the {@code conduit_audit} table; the details are a JSON object of names and codes. Reads
 * come newest first, with the standard {@code OFFSET ... FETCH} paging that H2 and PostgreSQL both speak.
 */
public final class JdbcAuditTrail implements AuditRecorder, AuditTrail {

    private static final String INSERT = "INSERT INTO conduit_audit (at, actor, action, system_name, outcome, details)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    private static final String PURGE = "DELETE FROM conduit_audit WHERE at < ?";

    private final DataSource dataSource;

    public JdbcAuditTrail(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            Jdbc.setTimestamp(insert, 1, event.at());
            insert.setString(2, event.actor());
            insert.setString(3, event.action().name());
            insert.setString(4, event.system());
            insert.setString(5, event.outcome().name());
            insert.setString(6, detailsJson(event.details()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("record the audit event " + event.action(), e);
        }
    }

    @Override
    public AuditPage find(AuditQuery query) {
        List<Object> parameters = new ArrayList<>();
        String where = where(query, parameters);
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM conduit_audit" + where)) {
                bind(count, parameters);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEvent> items = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT at, actor, action, system_name,"
                    + " outcome, details FROM conduit_audit" + where
                    + " ORDER BY at DESC, id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                int next = bind(select, parameters);
                select.setLong(next, query.offset());
                select.setInt(next + 1, query.size());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(read(rs));
                    }
                }
            }
            return new AuditPage(items, query.page(), query.size(), total);
        } catch (SQLException e) {
            throw Jdbc.failure("read the audit trail", e);
        }
    }

    @Override
    public long purgeBefore(Instant cutoff) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement purge = connection.prepareStatement(PURGE)) {
            Jdbc.setTimestamp(purge, 1, cutoff);
            return purge.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("purge the audit trail", e);
        }
    }

    private static String where(AuditQuery query, List<Object> parameters) {
        List<String> conditions = new ArrayList<>();
        // each filter given adds its condition and, in the same order, the value of its placeholder
        BiConsumer<String, Optional<?>> filter = (condition, value) -> value.ifPresent(v -> {
            conditions.add(condition);
            parameters.add(v);
        });
        filter.accept("system_name = ?", query.system());
        filter.accept("actor = ?", query.actor());
        filter.accept("action = ?", query.action().map(AuditAction::name));
        filter.accept("at >= ?", query.from());
        filter.accept("at < ?", query.to());
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Binds the filter values from index 1; returns the next free index. */
    private static int bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        int index = 1;
        for (Object parameter : parameters) {
            if (parameter instanceof Instant instant) {
                Jdbc.setTimestamp(statement, index++, instant);
            } else {
                statement.setString(index++, (String) parameter);
            }
        }
        return index;
    }

    private static AuditEvent read(ResultSet rs) throws SQLException {
        return new AuditEvent(Jdbc.instant(rs, "at"), rs.getString("actor"), AuditAction.valueOf(rs.getString("action")),
                rs.getString("system_name"), AuditOutcome.valueOf(rs.getString("outcome")),
                details(rs.getString("details")));
    }

    private static String detailsJson(Map<String, String> details) {
        JsonObjectBuilder json = SharedJson.createObjectBuilder();
        details.forEach(json::add);
        return json.build().toString();
    }

    private static Map<String, String> details(String json) {
        Map<String, String> details = new LinkedHashMap<>();
        try (JsonReader reader = SharedJson.createReader(new StringReader(json))) {
            JsonObject object = reader.readObject();
            object.forEach((key, value) -> details.put(key, value instanceof JsonString s ? s.getString()
                    : value == JsonValue.NULL ? "" : value.toString()));
        }
        return details;
    }
}
