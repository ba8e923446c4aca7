package dev.conduit.web.invoke;

import dev.conduit.api.ConduitException;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.core.administration.Callers;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.integration.IntegrationClient;
import dev.conduit.core.integration.IntegrationRequest;
import dev.conduit.web.Roles;
import dev.conduit.web.authorization.AuthorizationLinks;
import dev.conduit.web.json.RequestBodies;
import dev.conduit.web.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.security.Principal;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Integration calls: sent to the system's resource server with the token injected (the application's token for a
 * per-app system, the caller's for a per-user one). A caller who has not authorized gets the problem
 * {@code AUTHORIZATION_REQUIRED} carrying a fresh {@code authorizationLink}.
 */
@Path("connected-systems/{name}/invoke")
@ApplicationScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Integration calls")
public class InvokeResource {

    private SystemAdministration admin;
    private IntegrationClient client;
    private AuthorizationLinks links;
    private RequestBodies bodies;

    /** For CDI's client proxy. */
    protected InvokeResource() {
    }

    @Inject
    public InvokeResource(SystemAdministration admin, IntegrationClient client, AuthorizationLinks links,
            RequestBodies bodies) {
        this.admin = admin;
        this.client = client;
        this.links = links;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sends a request to the system's resource server with its access token",
            description = "Body: {method, path (relative to the integration base URL), query, headers, body}. "
                    + "A 401/403/404 from the resource server renews the token and retries once. Not authorized yet: "
                    + "403 problem AUTHORIZATION_REQUIRED with authorizationLink {url, expiresAt}.")
    public JsonObject invoke(@PathParam("name") String name, InputStream body, @Context SecurityContext security,
            @Context UriInfo uri) {
        ConnectedSystem system = admin.get(name);
        IntegrationRequest request = InvokeJson.read(bodies.readObject(body));
        Principal user = security.getUserPrincipal();
        boolean perUser = admin.isPerUser(system);
        Subject subject = admin.subjectFor(system, user);
        try {
            return InvokeJson.write(client.invoke(system, subject, request)); // read once per call
        } catch (ConduitException e) {
            if (perUser && Callers.mustAuthorize(e)) {
                throw new ProblemException(links.required(e, name, user, uri.getRequestUri()));
            }
            throw e;
        }
    }
}
