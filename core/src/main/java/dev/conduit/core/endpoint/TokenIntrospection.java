package dev.conduit.core.endpoint;

import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;

/** Asks a system's introspection endpoint whether an access token obtained for the system is active. */
@FunctionalInterface
public interface TokenIntrospection {

    /**
     * Whether the system's introspection endpoint calls {@code accessToken} active.
     *
     * @throws dev.conduit.api.ConduitException when the endpoint is not set, cannot be reached, refuses the client or
     *                                          answers without a boolean {@code active}
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2">RFC 7662 section 2</a>
     */
    boolean isActive(ConnectedSystem system, Secret accessToken);
}
