package dev.conduit.web.authorization;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.administration.Callers;
import dev.conduit.core.lifecycle.AuthorizationService;
import dev.conduit.web.Roles;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.web.json.SharedJson;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every per-user system with the caller's own standing: what a person needs to see which systems they have connected
 * and which wait for them. Holds no configuration beyond name, description and category, and never a token.
 */
@Path("authorizations")
@ApplicationScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Authorization")
public class MyAuthorizationsResource {

    private SystemAdministration admin;
    private AuthorizationService authorizations;

    /** For CDI's client proxy. */
    protected MyAuthorizationsResource() {
    }

    @Inject
    public MyAuthorizationsResource(SystemAdministration admin, AuthorizationService authorizations) {
        this.admin = admin;
        this.authorizations = authorizations;
    }

    @GET
    @Operation(summary = "The caller's status for every per-user system: [{system, description, category, status, "
            + "scope, expiresAt, code, reason, hint}]")
    public JsonArray list(@Context SecurityContext security) {
        JsonArrayBuilder all = SharedJson.createArrayBuilder();
        for (ConnectedSystem system : admin.list()) {
            if (!admin.isPerUser(system)) {
                continue;
            }
            JsonObject status = AuthorizationResource.toJson(
                    authorizations.status(system.name(), Callers.user(security.getUserPrincipal())));
            all.add(SharedJson.createObjectBuilder(status)
                    .add("description", system.description().orElse(""))
                    .add("category", system.category().orElse("")));
        }
        return all.build();
    }
}
