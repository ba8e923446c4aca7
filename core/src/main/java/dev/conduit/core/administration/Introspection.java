package dev.conduit.core.administration;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;

/**
 * What the provider's introspection endpoint said of the token a test just obtained: a token it calls inactive, or an
 * endpoint that cannot answer, means that the system's endpoints or client do not belong together.
 *
 * @param active  whether the provider called the token active; {@code false} when it could not be asked
 * @param code    why it could not be asked, else {@code null}
 * @param message what went wrong, else {@code null}
 * @param hint    what to do, when the token is not active or the endpoint could not be asked; else {@code null}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2.2">RFC 7662 section 2.2</a>
 */
public record Introspection(boolean active, ErrorCode code, String message, String hint) {

    static Introspection answered(boolean active) {
        return new Introspection(active, null, null, active ? null
                : "The introspection endpoint calls the token just obtained inactive: check that it belongs to the "
                        + "same authorization server as the token endpoint, and that the server lets this client "
                        + "introspect its own tokens (Keycloak: the client must be in the token's audience)");
    }

    static Introspection failed(ConduitException e) {
        return new Introspection(false, e.code(), e.getMessage(), e.hint());
    }
}
