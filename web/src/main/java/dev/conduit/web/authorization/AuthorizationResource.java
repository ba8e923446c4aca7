package dev.conduit.web.authorization;

import dev.conduit.core.administration.Callers;
import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.lifecycle.AuthorizationService;
import dev.conduit.core.lifecycle.AuthorizationStatus;
import dev.conduit.web.Roles;
import dev.conduit.web.audit.Audited;
import dev.conduit.web.json.SharedJson;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's own authorization of a per-user connected system: where they stand, and disconnecting. */
@Path("connected-systems/{name}/authorization")
@ApplicationScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Authorization", description = "A user's own authorization of a per-user system")
public class AuthorizationResource {

    private AuthorizationService authorizations;

    /** For CDI's client proxy. */
    protected AuthorizationResource() {
    }

    @Inject
    public AuthorizationResource(AuthorizationService authorizations) {
        this.authorizations = authorizations;
    }

    @GET
    @Operation(summary = "The caller's status: AUTHORIZED (with the scope granted and the expiry), "
            + "AUTHORIZATION_REQUIRED or ERROR. Never a token.")
    public JsonObject status(@PathParam("name") String name, @Context SecurityContext security) {
        return toJson(authorizations.status(name, Callers.user(security.getUserPrincipal())));
    }

    @Audited(AuditAction.DISCONNECT)
    @DELETE
    @Operation(summary = "Disconnects the caller: revokes at the provider where it can, then deletes the tokens")
    public Response disconnect(@PathParam("name") String name, @Context SecurityContext security) {
        authorizations.disconnect(name, Callers.user(security.getUserPrincipal()));
        return Response.noContent().build();
    }

    static JsonObject toJson(AuthorizationStatus status) {
        JsonObjectBuilder json = SharedJson.createObjectBuilder()
                .add("system", status.systemName())
                .add("status", status.status().name())
                // no scope granted (yet) reads as null, never as ""
                .add("scope", status.scope().isEmpty() ? JsonValue.NULL
                        : SharedJson.createValue(status.scope().toString()));
        json.add("expiresAt", status.expiresAt() == null ? JsonValue.NULL
                : SharedJson.createValue(status.expiresAt().toString()));
        if (status.code() != null) {
            json.add("code", status.code().name()).add("reason", status.reason()).add("hint", status.hint());
        }
        return json.build();
    }
}
