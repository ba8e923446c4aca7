package dev.conduit.web.template;

import dev.conduit.core.provider.TemplateCatalog;
import dev.conduit.web.Roles;
import dev.conduit.web.authorization.PublicUrl;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The provider templates an administrator can register a connected system from ({@code conduit-admin}): the built-in
 * catalog plus the organisation's own from {@code conduit.templates.dir}.
 */
@Path("templates")
@ApplicationScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Provider templates", description = "Well-known providers, registered by name and a few variables")
public class TemplatesResource {

    private TemplateCatalog catalog;
    private PublicUrl publicUrl;

    /** For CDI's client proxy. */
    protected TemplatesResource() {
    }

    @Inject
    public TemplatesResource(TemplateCatalog catalog, PublicUrl publicUrl) {
        this.catalog = catalog;
        this.publicUrl = publicUrl;
    }

    @GET
    @Operation(summary = "Every provider template, and the template files that could not be loaded")
    public JsonObject list() {
        return TemplateJson.list(catalog);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One provider template with the variables to ask for",
            description = "POST /api/connected-systems with {name, template, variables, clientId, clientSecret} "
                    + "registers a system from it; any other member given overrides the template's value.")
    public JsonObject get(@PathParam("id") String id, @Context UriInfo uri) {
        return TemplateJson.detail(catalog.get(id), publicUrl.redirectUri(uri.getRequestUri()));
    }
}
