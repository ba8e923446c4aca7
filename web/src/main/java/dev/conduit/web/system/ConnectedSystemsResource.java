package dev.conduit.web.system;

import dev.conduit.api.ConduitException;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.administration.TokenTest;
import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.discovery.AuthorizationServerMetadata;
import dev.conduit.core.provider.TemplateCatalog;
import dev.conduit.web.Roles;
import dev.conduit.web.audit.Audited;
import dev.conduit.web.authorization.AuthorizationLinks;
import dev.conduit.web.authorization.PublicUrl;
import dev.conduit.web.json.RequestBodies;
import dev.conduit.web.json.SharedJson;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Administration of connected systems ({@code conduit-admin}). Secrets are write-only; every read shows the redirect
 * URI to register at the provider, the status and the disabled reason.
 */
@Path("connected-systems")
@ApplicationScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Connected systems", description = "Administration (role conduit-admin)")
public class ConnectedSystemsResource {

    private SystemAdministration admin;
    private SystemViews views;
    private AuthorizationLinks links;
    private PublicUrl publicUrl;
    private RequestBodies bodies;
    private TemplateCatalog templates;

    /** For CDI's client proxy. */
    protected ConnectedSystemsResource() {
    }

    @Inject
    public ConnectedSystemsResource(SystemAdministration admin, AuthorizationLinks links, PublicUrl publicUrl,
            RequestBodies bodies, TemplateCatalog templates) {
        this.templates = templates;
        this.admin = admin;
        this.views = new SystemViews(admin);
        this.links = links;
        this.publicUrl = publicUrl;
        this.bodies = bodies;
    }

    @GET
    @Operation(summary = "Every connected system, by name, without secrets")
    public JsonArray list(@Context UriInfo uri) {
        String redirectUri = publicUrl.redirectUri(uri.getRequestUri());
        JsonArrayBuilder all = SharedJson.createArrayBuilder();
        for (ConnectedSystem system : admin.list()) {
            all.add(views.view(system, redirectUri));
        }
        return all.build();
    }

    @GET
    @Path("schema")
    @Operation(summary = "The fields of a connected system, by group",
            description = "Each field's JSON name (a dotted path for nested members), label, type (string, url, "
                    + "secret, boolean, integer, duration in seconds, enum, list, map), whether required or secret, "
                    + "the grant types that use it (null: every one), one line of help, its default and, for an "
                    + "enum, its values. Forms are built from this instead of a copy of the field list.")
    public JsonObject schema() {
        return SystemSchema.document(admin.grantTypes());
    }

    @Audited(AuditAction.CREATE)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Registers a connected system",
            description = "A client-credentials system is tested at once: tokenTest reports the outcome, and the "
                    + "system is saved even when the test fails, so that it can be corrected. With an issuer and "
                    + "\"discover\": true (or no tokenEndpoint), the endpoints, the client authentication method and "
                    + "issuerParameterSupported come from the issuer's metadata; a metadata issuer that differs "
                    + "from the one given is refused with ISSUER_MISMATCH. With \"template\": \"<id>\" and "
                    + "\"variables\", the provider template (GET /api/templates) fills in the rest; a member given "
                    + "by hand overrides the template's value.")
    public Response create(InputStream body, @Context UriInfo uri) {
        JsonObject json = bodies.readObject(body);
        if (TemplateRequest.asksForTemplate(json)) {
            json = TemplateRequest.expand(json, templates);
        }
        SystemAdministration.Saved saved = admin.create(SystemJson.draft(json, null, Optional.empty()));
        return Response.created(uri.getAbsolutePathBuilder().path(saved.system().name()).build())
                .entity(views.view(saved, publicUrl.redirectUri(uri.getRequestUri()))).build();
    }

    @POST
    @Path("discovery")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reads an issuer's metadata without saving anything: {issuer} -> the endpoints a system "
            + "would get, issuerParameterSupported, the client authentication methods, and the redirect URI",
            description = "The same discovery a save with an issuer runs (RFC 8414, else OpenID Connect discovery); "
                    + "DISCOVERY_FAILED or ISSUER_MISMATCH name the field issuer.")
    public JsonObject discover(InputStream body, @Context UriInfo uri) {
        JsonObject request = bodies.readObject(body);
        String issuer = request.containsKey("issuer") && request.get("issuer") instanceof jakarta.json.JsonString s
                ? s.getString().strip() : "";
        if (issuer.isEmpty()) {
            throw ConduitException.invalidField("issuer", "issuer is required to discover the endpoints");
        }
        AuthorizationServerMetadata metadata = admin.discover(issuer);
        JsonObjectBuilder json = SharedJson.createObjectBuilder().add("issuer", metadata.issuer())
                .add("tokenEndpoint", metadata.tokenEndpoint());
        addIfPresent(json, "authorizationEndpoint", metadata.authorizationEndpoint());
        addIfPresent(json, "revocationEndpoint", metadata.revocationEndpoint());
        addIfPresent(json, "introspectionEndpoint", metadata.introspectionEndpoint());
        JsonArrayBuilder methods = SharedJson.createArrayBuilder();
        metadata.tokenEndpointAuthMethods().forEach(methods::add);
        return json.add("issuerParameterSupported", metadata.authorizationResponseIssParameterSupported())
                .add("tokenEndpointAuthMethods", methods)
                .add("redirectUri", publicUrl.redirectUri(uri.getRequestUri()))
                .build();
    }

    private static void addIfPresent(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One connected system, without secrets")
    public JsonObject get(@PathParam("name") String name, @Context UriInfo uri) {
        return views.view(admin.get(name), publicUrl.redirectUri(uri.getRequestUri())).build();
    }

    @Audited(AuditAction.UPDATE)
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replaces a connected system's configuration",
            description = "Leaving out clientSecret (or a secret variable's value) keeps the stored one, unless the "
                    + "edit moves where it goes (another host for tokenEndpoint, revocationEndpoint, "
                    + "introspectionEndpoint or integrationBaseUrl, or another clientAuthMethod): then it must be sent "
                    + "again, else "
                    + "SECRET_REQUIRED names it. Changing "
                    + "what decides which token is issued or where it goes (endpoints, client, secret, key, scope, "
                    + "includeScope, extra parameters, variables, integrationBaseUrl) discards the system's tokens. "
                    + "The answer lists the names of the fields that changed (changed).")
    public JsonObject update(@PathParam("name") String name, InputStream body, @Context UriInfo uri) {
        // the system as stored before the edit, to name the fields the edit changed
        AtomicReference<ConnectedSystem> before = new AtomicReference<>();
        SystemAdministration.Saved saved = admin.update(name, stored -> {
            before.set(stored);
            return SystemJson.draft(bodies.readObject(body), name, Optional.of(stored));
        });
        JsonArrayBuilder changed = SharedJson.createArrayBuilder();
        ChangedFields.between(before.get(), saved.system()).forEach(changed::add);
        return SharedJson.createObjectBuilder(views.view(saved, publicUrl.redirectUri(uri.getRequestUri())))
                .add("changed", changed).build();
    }

    @Audited(AuditAction.DELETE)
    @DELETE
    @Path("{name}")
    @Operation(summary = "Removes a connected system and its tokens")
    public Response delete(@PathParam("name") String name) {
        admin.delete(name);
        return Response.noContent().build();
    }

    @Audited(AuditAction.TEST)
    @POST
    @Path("{name}/test")
    @Operation(summary = "Tests a connected system",
            description = "Client credentials: obtains a token now and reports the outcome (tokenTest). "
                    + "Authorization code: returns an authorization link for the administrator.")
    public JsonObject test(@PathParam("name") String name, @Context SecurityContext security,
            @Context UriInfo uri) {
        ConnectedSystem system = admin.get(name);
        String redirectUri = publicUrl.redirectUri(uri.getRequestUri());
        if (admin.isInteractive(system)) {
            return SharedJson.createObjectBuilder()
                    .add("authorizationLink", links.createJson(name, security.getUserPrincipal(), uri.getRequestUri()))
                    .add("system", views.view(system, redirectUri))
                    .build();
        }
        TokenTest test = admin.test(system);
        return SharedJson.createObjectBuilder()
                .add("tokenTest", SystemViews.tokenTest(test))
                .add("system", views.view(system, redirectUri))
                .build();
    }

    @Audited(AuditAction.ENABLE)
    @POST
    @Path("{name}/enable")
    @Operation(summary = "Puts a disabled connected system back to OK")
    public JsonObject enable(@PathParam("name") String name, @Context UriInfo uri) {
        return views.view(admin.enable(name), publicUrl.redirectUri(uri.getRequestUri())).build();
    }
}
