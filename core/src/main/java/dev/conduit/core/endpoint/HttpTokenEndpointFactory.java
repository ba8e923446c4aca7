package dev.conduit.core.endpoint;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.policy.EndpointPolicy;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Objects;

/**
 * Lends grants a {@link HttpTokenEndpoint} per system, all sharing one {@link HttpClient} (one connection pool, no
 * redirects, the connect timeout of {@link HttpSettings}).
 */
public final class HttpTokenEndpointFactory implements TokenEndpointFactory {

    private final EndpointPolicy policy;
    private final HttpSettings settings;
    private final Clock clock;
    private final HttpClient client;

    public HttpTokenEndpointFactory(EndpointPolicy policy, HttpSettings settings, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = settings.newHttpClient();
    }

    @Override
    public HttpTokenEndpoint forSystem(ConnectedSystem system) {
        return new HttpTokenEndpoint(system, client, policy, settings, clock);
    }

    public EndpointPolicy policy() {
        return policy;
    }

    public HttpSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "HttpTokenEndpointFactory[" + policy + ", " + settings + "]";
    }
}
