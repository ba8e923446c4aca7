package dev.conduit.web.keys;

import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.crypto.KeyRotation;
import dev.conduit.core.crypto.ReEncryption;
import dev.conduit.web.Roles;
import dev.conduit.web.audit.Audited;
import dev.conduit.web.json.SharedJson;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Key rotation as an operation: re-encrypts every stored secret and token under the primary key, online. */
@Path("keys")
@ApplicationScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Keys", description = "Encryption at rest (role conduit-admin)")
public class KeyRotationResource {

    private KeyRotation rotation;

    /** For CDI's client proxy. */
    protected KeyRotationResource() {
    }

    @Inject
    public KeyRotationResource(KeyRotation rotation) {
        this.rotation = rotation;
    }

    @POST
    @Path("rotate")
    @Audited(AuditAction.KEY_ROTATION)
    @Operation(summary = "Re-encrypts every stored secret and token under the primary (first) key of "
            + "conduit.encryption.key",
            description = "Runs while the server serves; safe to repeat. Answers {primaryKey, reEncrypted, unreadable, "
                    + "stores: [{store, reEncrypted, current, unreadable, changedMeanwhile}]}. unreadable counts "
                    + "rows no configured key decrypts: they read as absent, and the log names their key id.")
    public JsonObject rotate() {
        KeyRotation.Result result = rotation.rotate();
        JsonArrayBuilder stores = SharedJson.createArrayBuilder();
        for (ReEncryption store : result.stores()) {
            stores.add(SharedJson.createObjectBuilder()
                    .add("store", store.store())
                    .add("reEncrypted", store.reEncrypted())
                    .add("current", store.current())
                    .add("unreadable", store.unreadable())
                    .add("changedMeanwhile", store.changedMeanwhile()));
        }
        return SharedJson.createObjectBuilder()
                .add("primaryKey", result.primaryKeyId())
                .add("reEncrypted", result.reEncrypted())
                .add("unreadable", result.unreadable())
                .add("stores", stores)
                .build();
    }
}
