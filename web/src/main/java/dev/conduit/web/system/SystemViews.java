package dev.conduit.web.system;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.administration.Introspection;
import dev.conduit.core.administration.TokenTest;
import dev.conduit.web.json.SharedJson;
import dev.conduit.web.problem.Problem;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * A connected system as an administrator reads it: its configuration without secrets, the redirect URI to register at
 * the provider, whose tokens it holds, where it is defined ({@code source}: {@code configuration} systems are
 * {@code readOnly}), and its status with the disabled reason and what to do.
 */
public final class SystemViews {

    private final SystemAdministration admin;

    public SystemViews(SystemAdministration admin) {
        this.admin = admin;
    }

    public JsonObjectBuilder view(ConnectedSystem system, String redirectUri) {
        JsonObjectBuilder json = SystemJson.write(system);
        admin.tokenScope(system).ifPresentOrElse(scope -> json.add("tokenScope", scope.name()),
                () -> json.add("tokenScope", JsonValue.NULL));
        json.add("redirectUri", redirectUri);
        boolean declared = admin.isDeclaredInConfiguration(system.name());
        json.add("source", declared ? "configuration" : "database");
        json.add("readOnly", declared);
        json.add("lastTokenAt", admin.lastTokenAt(system).map(t -> (JsonValue) SharedJson.createValue(t.toString()))
                .orElse(JsonValue.NULL));
        return addStatus(json, admin.status(system.name()));
    }

    /** The status fields of a system's view: state, since when, and when disabled the code, reason and hint. */
    public static JsonObjectBuilder addStatus(JsonObjectBuilder json, SystemStatus status) {
        json.add("status", status.state().name());
        json.add("statusSince", status.since().toString());
        if (status.isOk()) {
            json.add("errorCode", JsonValue.NULL).add("disabledReason", JsonValue.NULL).add("hint", JsonValue.NULL);
        } else {
            json.add("errorCode", status.code().name()).add("disabledReason", status.reason())
                    .add("hint", status.hint());
        }
        return json;
    }

    public JsonObject view(SystemAdministration.Saved saved, String redirectUri) {
        JsonObjectBuilder json = view(saved.system(), redirectUri);
        saved.tokenTest().ifPresent(test -> json.add("tokenTest", tokenTest(test)));
        return json.build();
    }

    /** A token test as JSON: {@code ok} with the expiry and scope obtained, or the code, message, hint and OAuth error. */
    public static JsonObject tokenTest(TokenTest test) {
        JsonObjectBuilder json = SharedJson.createObjectBuilder().add("ok", test.ok());
        if (test.ok()) {
            // a scope neither requested nor granted reads as null, never as ""
            json.add("expiresAt", test.expiresAt().toString())
                    .add("scope", test.scope() == null ? JsonValue.NULL : SharedJson.createValue(test.scope()));
            test.introspection().ifPresent(i -> json.add("introspection", introspection(i)));
            return json.build();
        }
        json.add("code", test.code().name()).add("message", test.message()).add("hint", test.hint());
        return Problem.addOAuthError(json, test.oauthError()).build();
    }

    /** {@code {active}}, plus the code, message and hint when the endpoint could not be asked or said inactive. */
    private static JsonObject introspection(Introspection introspection) {
        JsonObjectBuilder json = SharedJson.createObjectBuilder().add("active", introspection.active());
        if (introspection.code() != null) {
            json.add("code", introspection.code().name()).add("message", introspection.message());
        }
        if (introspection.hint() != null) {
            json.add("hint", introspection.hint());
        }
        return json.build();
    }
}
