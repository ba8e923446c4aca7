package dev.conduit.web.audit;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditPage;
import dev.conduit.core.audit.AuditQuery;
import dev.conduit.core.audit.AuditTrail;
import dev.conduit.web.Roles;
import dev.conduit.web.json.SharedJson;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit trail for administrators: who changed which system when, and how it ended. Never a secret. */
@Path("audit")
@ApplicationScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "The audit trail (role conduit-admin)")
public class AuditResource {

    private AuditTrail trail;

    /** For CDI's client proxy. */
    protected AuditResource() {
    }

    @Inject
    public AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    @GET
    @Operation(summary = "Audit records, newest first",
            description = "{items: [{at, actor, action, system, outcome, details}], page, size, total}. Filters "
                    + "(all optional, combined): system, actor, action (CREATE, UPDATE, DELETE, ENABLE, TEST, IMPORT, "
                    + "KEY_ROTATION, AUTHORIZE, DISCONNECT, LOGIN_FAILED, CROSS_SITE_REFUSED), from (inclusive) and "
                    + "to (exclusive) as ISO-8601 instants; page from 0, size 1 to 500 (default 50).")
    public JsonObject find(@QueryParam("system") String system, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        AuditQuery query = new AuditQuery(Optional.ofNullable(system), Optional.ofNullable(actor), action(action),
                instant("from", from), instant("to", to), number("page", page, 0),
                number("size", size, AuditQuery.DEFAULT_SIZE));
        return toJson(trail.find(query));
    }

    static JsonObject toJson(AuditPage page) {
        JsonArrayBuilder items = SharedJson.createArrayBuilder();
        for (AuditEvent event : page.items()) {
            JsonObjectBuilder details = SharedJson.createObjectBuilder();
            event.details().forEach(details::add);
            items.add(SharedJson.createObjectBuilder()
                    .add("at", event.at().toString())
                    .add("actor", event.actor())
                    .add("action", event.action().name())
                    .add("system", event.system() == null ? JsonValue.NULL : SharedJson.createValue(event.system()))
                    .add("outcome", event.outcome().name())
                    .add("details", details));
        }
        return SharedJson.createObjectBuilder().add("items", items).add("page", page.page()).add("size", page.size())
                .add("total", page.total()).build();
    }

    private static Optional<AuditAction> action(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AuditAction.valueOf(value.strip()));
        } catch (IllegalArgumentException e) {
            throw invalid("action", "must be one of " + Arrays.toString(AuditAction.values()));
        }
    }

    private static Optional<Instant> instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.strip()));
        } catch (DateTimeParseException e) {
            throw invalid(field, "must be an ISO-8601 instant such as 2026-03-01T00:00:00Z");
        }
    }

    private static int number(String field, String value, int otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw invalid(field, "must be a whole number");
        }
    }

    /** A query parameter out of range: {@code INVALID_REQUEST} naming it. */
    private static ConduitException invalid(String field, String message) {
        return ConduitException.builder(ErrorCode.INVALID_REQUEST, field + ": " + message).field(field).build();
    }
}
