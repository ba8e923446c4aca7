package dev.conduit.web.health;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.web.Roles;
import dev.conduit.web.json.SharedJson;
import dev.conduit.web.system.SystemViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The connected systems' status for monitoring, administrators only: how many are in {@code ERROR}, and each one's
 * code, reason and hint. It is not a readiness check on purpose: a connected system in {@code ERROR} says nothing about
 * whether this node can serve, and the reasons quote providers' texts and hosts, which anonymous callers must not read.
 */
@Path("status")
@ApplicationScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Status", description = "Connected systems' status for monitoring (role conduit-admin)")
public class SystemStatusResource {

    private SystemAdministration admin;

    /** For CDI's client proxy. */
    protected SystemStatusResource() {
    }

    @Inject
    public SystemStatusResource(SystemAdministration admin) {
        this.admin = admin;
    }

    @GET
    @Operation(summary = "How many connected systems are in ERROR, and each one's status, code, reason and hint")
    public JsonObject status() {
        JsonArrayBuilder systems = SharedJson.createArrayBuilder();
        int total = 0;
        int inError = 0;
        for (ConnectedSystem system : admin.list()) {
            total++;
            SystemStatus status = admin.status(system.name());
            if (!status.isOk()) {
                inError++;
            }
            systems.add(SystemViews.addStatus(SharedJson.createObjectBuilder().add("name", system.name()), status));
        }
        return SharedJson.createObjectBuilder().add("systems", total).add("inError", inError)
                .add("connectedSystems", systems).build();
    }
}
