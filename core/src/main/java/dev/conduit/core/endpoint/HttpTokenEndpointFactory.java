package dev.conduit.core.endpoint;

import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.policy.EndpointPolicy;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Lends grants a {@link HttpTokenEndpoint} per system, all sharing one {@link HttpClient} (one connection pool, no
 * redirects, the connect timeout of {@link HttpSettings}), and introspects the tokens obtained through them.
 */
public final class HttpTokenEndpointFactory implements TokenEndpointFactory, TokenIntrospection {

    private final EndpointPolicy policy;
    private final HttpSettings settings;
    private final Clock clock;
    private final HttpClient client;
    /** Per system name, so that a private_key_jwt key is read once, not on every request; replaced when edited. */
    private final ConcurrentMap<String, ClientAuthenticator> authenticators = new ConcurrentHashMap<>();

    public HttpTokenEndpointFactory(EndpointPolicy policy, HttpSettings settings, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = settings.newHttpClient(policy);
    }

    @Override
    public HttpTokenEndpoint forSystem(ConnectedSystem system) {
        ClientAuthenticator authenticator = authenticators.compute(system.name(),
                (name, current) -> current != null && current.serves(system.client()) ? current
                        : ClientAuthenticator.of(system.client(), clock));
        return new HttpTokenEndpoint(system, client, policy, settings, clock, authenticator);
    }

    @Override
    public boolean isActive(ConnectedSystem system, Secret accessToken) {
        return forSystem(system).introspect(accessToken);
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
