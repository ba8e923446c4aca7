package dev.conduit.core.testing;

import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.RetryPolicy;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The one factory tests build connected systems with: presets pointed at a {@link HostileTokenServer} on loopback,
 * which tests then adjust through the returned builder.
 */
public final class TestSystems {

    public static final String SYSTEM_NAME = "test-system";
    public static final String CLIENT_ID = "conduit-test-client";
    /** Long and distinctive, so a leak check finds it wherever it appears. */
    public static final String CLIENT_SECRET = "client-secret-7f3a9c21e4b86d05";
    public static final String SCOPE = "read write";

    private TestSystems() {
    }

    /**
     * A client credentials system on {@code server}: token endpoint {@code /token}, revocation endpoint
     * {@code /revoke}, integration base URL {@code /api}, {@code client_secret_basic}, scope {@code read write},
     * three attempts within five seconds.
     */
    public static ConnectedSystem.Builder clientCredentials(HostileTokenServer server) {
        return ConnectedSystem.builder()
                .name(SYSTEM_NAME)
                .grantType("client_credentials")
                .tokenEndpoint(server.url("/token"))
                .revocationEndpoint(server.url("/revoke"))
                .integrationBaseUrl(server.url("/api"))
                .clientId(CLIENT_ID)
                .clientSecret(Secret.of(CLIENT_SECRET))
                .clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                .scope(SCOPE)
                .retryPolicy(new RetryPolicy(3, Duration.ofSeconds(5)));
    }

    /**
     * An authorization code system on {@code server}: {@link #clientCredentials} plus the authorization endpoint
     * {@code /authorize}, the issuer (the server's root URL) and the introspection endpoint {@code /introspect}.
     */
    public static ConnectedSystem.Builder authorizationCode(HostileTokenServer server) {
        return clientCredentials(server)
                .grantType("authorization_code")
                .authorizationEndpoint(server.url("/authorize"))
                .introspectionEndpoint(server.url("/introspect"))
                .issuer(server.url(""));
    }

    /** A policy that accepts plain http on loopback, as the test server needs, and nothing more. */
    public static EndpointPolicy loopbackPolicy() {
        return EndpointPolicy.allowingLoopback(List.of());
    }

    /** The token endpoint factory of a test: loopback allowed, default timeouts, the given clock. */
    public static HttpTokenEndpointFactory endpoints(Clock clock) {
        return new HttpTokenEndpointFactory(loopbackPolicy(), HttpSettings.DEFAULT, clock);
    }

    /** Short timeouts, so tests of silent servers finish quickly: connect 1 s, read 500 ms. */
    public static HttpSettings fastSettings() {
        return new HttpSettings(Duration.ofSeconds(1), Duration.ofMillis(500));
    }
}
