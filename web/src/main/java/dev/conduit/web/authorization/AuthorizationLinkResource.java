package dev.conduit.web.authorization;

import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The authorization-link resource: each POST creates a new link for the caller, {@code {url, expiresAt}}; with
 * {@code ?redirect=true} it answers 303 to the provider, so that a browser form can start the authorization.
 */
@Path("connected-systems/{name}/authorization-link")
@ApplicationScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Authorization")
public class AuthorizationLinkResource {

    private AuthorizationLinks links;

    /** For CDI's client proxy. */
    protected AuthorizationLinkResource() {
    }

    @Inject
    public AuthorizationLinkResource(AuthorizationLinks links) {
        this.links = links;
    }

    @POST
    @Operation(summary = "A new authorization link for the caller: {url, expiresAt}; ?redirect=true answers 303 to it")
    public Response create(@PathParam("name") String name, @QueryParam("redirect") boolean redirect,
            @Context SecurityContext security, @Context UriInfo uri) {
        AuthorizationRequest request = links.create(name, security.getUserPrincipal(), uri.getRequestUri());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        if (redirect) {
            return Response.seeOther(request.url()).cacheControl(noStore).build();
        }
        return Response.ok(AuthorizationLinks.toJson(request)).cacheControl(noStore).build();
    }
}
