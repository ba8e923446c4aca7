package dev.conduit.web.audit;

import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditOutcome;
import dev.conduit.web.json.SharedJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The audit record of one answered API call: the outcome from the status, a failure's {@code ErrorCode} and field from
 * the problem document, and from a success's answer only names and codes (the fields changed, the token test's
 * outcome, the systems imported, the key id and counts of a key rotation): never a value, so never a secret.
 */
public final class AuditEvents {

    private AuditEvents() {
    }

    /**
     * @param pathSystem the {@code {name}} of the request path, or {@code null}
     * @param status     the answer's HTTP status
     * @param entity     the answer's entity: a JSON object, a problem document as text, or anything else (ignored)
     */
    public static AuditEvent of(Instant at, String actor, AuditAction action, String pathSystem, int status,
            Object entity) {
        JsonObject answer = asJson(entity);
        Map<String, String> details = new LinkedHashMap<>();
        AuditOutcome outcome = status < 400 ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE;
        String system = pathSystem;
        if (outcome == AuditOutcome.FAILURE) {
            details.put("status", Integer.toString(status));
            string(answer, "code").ifPresent(code -> details.put("code", code));
            string(answer, "field").ifPresent(field -> details.put("field", field));
        } else if (answer != null) {
            if (system == null) {
                system = string(answer, "name").orElse(null);
            }
            if (answer.get("changed") instanceof JsonArray changed) {
                details.put("fields", join(changed));
            }
            JsonObject test = answer.get("tokenTest") instanceof JsonObject t ? t
                    : answer.get("system") instanceof JsonObject s && s.get("tokenTest") instanceof JsonObject t2 ? t2
                    : null;
            if (test != null) {
                boolean ok = test.getBoolean("ok", false);
                details.put("tokenTest", ok ? "ok" : string(test, "code").orElse("failed"));
                if (!ok && action == AuditAction.TEST) {
                    outcome = AuditOutcome.FAILURE;
                }
            }
            if (answer.get("authorizationLink") instanceof JsonObject) {
                details.put("authorizationLink", "issued");
            }
            if (answer.get("imported") instanceof JsonArray imported) {
                StringJoiner names = new StringJoiner(", ");
                imported.forEach(item -> {
                    if (item instanceof JsonObject i) {
                        names.add(i.getString("name", "?") + " (" + i.getString("action", "?") + ")");
                    }
                });
                details.put("systems", names.toString());
            }
            if (action == AuditAction.KEY_ROTATION) {
                for (String member : new String[] {"primaryKey", "reEncrypted", "unreadable"}) {
                    if (answer.containsKey(member)) {
                        details.put(member, text(answer.get(member)));
                    }
                }
            }
        }
        return new AuditEvent(at, actor, action, system, outcome, details);
    }

    private static JsonObject asJson(Object entity) {
        if (entity instanceof JsonObject object) {
            return object;
        }
        if (entity instanceof String text && text.startsWith("{")) {
            try (JsonReader reader = SharedJson.createReader(new StringReader(text))) {
                return reader.readObject();
            } catch (JsonException e) {
                return null;
            }
        }
        return null;
    }

    private static java.util.Optional<String> string(JsonObject json, String member) {
        return json != null && json.get(member) instanceof JsonString s ? java.util.Optional.of(s.getString())
                : java.util.Optional.empty();
    }

    private static String join(JsonArray array) {
        StringJoiner joined = new StringJoiner(", ");
        array.forEach(value -> joined.add(text(value)));
        return joined.toString();
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString s ? s.getString() : value.toString();
    }
}
