package dev.conduit.web.transfer;

import dev.conduit.api.ErrorCode;
import dev.conduit.core.audit.AuditAction;
import dev.conduit.web.audit.Audited;
import dev.conduit.web.Roles;
import dev.conduit.web.json.RequestBodies;
import dev.conduit.web.json.SharedJson;
import dev.conduit.web.problem.Problem;
import dev.conduit.web.problem.ProblemException;
import dev.conduit.web.system.SystemViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Export and import of connected systems ({@code conduit-admin}). */
@Path("")
@ApplicationScoped
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Import and export", description = "Moving connected systems between environments (role conduit-admin)")
public class TransferResource {

    private SystemTransfer transfer;
    private RequestBodies bodies;

    /** For CDI's client proxy. */
    protected TransferResource() {
    }

    @Inject
    public TransferResource(SystemTransfer transfer, RequestBodies bodies) {
        this.transfer = transfer;
        this.bodies = bodies;
    }

    @GET
    @Path("export")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Operation(summary = "Exports every connected system",
            description = "JSON {format, exportedAt, package: {systems}, customization}: the package holds no secret, "
                    + "token or status; customization is a properties file of the per-environment values, with every "
                    + "secret as a required empty entry. ?part=customization returns that file alone as text/plain.")
    public Response export(@QueryParam("part") String part) {
        JsonObject export = transfer.export();
        if ("customization".equals(part)) {
            return Response.ok(export.getString("customization"), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    .header("Content-Disposition", "attachment; filename=\"conduit-customization.properties\"").build();
        }
        if ("package".equals(part)) {
            return Response.ok(export.getJsonObject("package"), MediaType.APPLICATION_JSON_TYPE).build();
        }
        if (part != null) {
            throw new ProblemException(Problem.of(ErrorCode.INVALID_REQUEST, "part: must be customization or package")
                    .withField("part"));
        }
        return Response.ok(export, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @Audited(AuditAction.IMPORT)
    @POST
    @Path("import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Imports a package with its customization, all or nothing",
            description = "Body {package, customization}: customization is the properties text, or an object of the "
                    + "same keys. A required value left empty: 400 MISSING_IMPORT_VALUES listing every missing key "
                    + "(missingKeys), and nothing is imported.")
    public JsonObject importPackage(InputStream body) {
        List<SystemTransfer.Imported> imported = transfer.importPackage(bodies.readObject(body));
        JsonArrayBuilder systems = SharedJson.createArrayBuilder();
        for (SystemTransfer.Imported i : imported) {
            JsonObjectBuilder item = SharedJson.createObjectBuilder()
                    .add("name", i.system().name())
                    .add("action", i.created() ? "created" : "updated");
            i.tokenTest().ifPresent(test -> item.add("tokenTest", SystemViews.tokenTest(test)));
            systems.add(item);
        }
        return SharedJson.createObjectBuilder().add("imported", systems).build();
    }
}
