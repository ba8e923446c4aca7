package dev.conduit.web.security;

import dev.conduit.web.Roles;
import dev.conduit.web.json.SharedJson;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who the caller is to Conduit: name and roles, so a client (the console) shows only what the caller may use. */
@Path("me")
@ApplicationScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Caller")
public class MeResource {

    @GET
    @Operation(summary = "The caller: {name, roles, session} (session: signed in to the console, not Basic)")
    public JsonObject me(@Context SecurityContext security, @Context HttpServletRequest request) {
        JsonArrayBuilder roles = SharedJson.createArrayBuilder();
        for (String role : new String[] {Roles.ADMIN, Roles.USER}) {
            if (security.isUserInRole(role)) {
                roles.add(role);
            }
        }
        SignedInCaller caller = SignedInCaller.of(request.getSession(false));
        return SharedJson.createObjectBuilder()
                .add("name", security.getUserPrincipal().getName())
                .add("roles", roles)
                .add("session", caller != null && caller.name().equals(security.getUserPrincipal().getName()))
                .build();
    }
}
