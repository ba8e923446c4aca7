package dev.conduit.core.endpoint;

import dev.conduit.api.grant.TokenEndpoint;
import dev.conduit.api.system.ConnectedSystem;

/** Lends a grant the token endpoint of one connected system. */
@FunctionalInterface
public interface TokenEndpointFactory {

    /** The token endpoint of {@code system}, with its client authentication and extra parameters. */
    TokenEndpoint forSystem(ConnectedSystem system);
}
