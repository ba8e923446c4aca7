package dev.conduit.core.testing;

import dev.conduit.api.Secret;
import dev.conduit.api.system.BodyFormat;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.RetryPolicy;
import dev.conduit.api.system.Variable;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

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

    /**
     * An authorization code system on {@code server} with every field set to a value other than its default, so that a
     * representation that drops or mangles any field no longer gives back an equal system: every endpoint, the client
     * with both secrets, a scope sent as JSON and read from a nested key, one extra parameter of each kind, a plain and
     * a secret variable, non-default lifecycle values, a description and a category.
     */
    public static ConnectedSystem.Builder everyField(HostileTokenServer server) {
        return authorizationCode(server)
                .name("every-field")
                .description("Every field set")
                .category("fixtures")
                .issuerParameterSupported(true)
                .clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST)
                .clientAssertionKey(Secret.of("assertion-key-3b9e07"))
                .clientAssertionKeyId("kid-7")
                .includeScope(false)
                .bodyFormat(BodyFormat.JSON)
                .tokenResponseKey("data.token")
                .variable(Variable.plain("tenant", "acme"))
                .variable(Variable.secret("apiKey", Secret.of("api-key-41d2c8")))
                .extraQueryParameter("tenant", "${tenant}")
                .extraFormParameter("audience", "urn:${tenant}")
                .extraHeader("X-Api-Key", "${apiKey}")
                .retryPolicy(new RetryPolicy(4, Duration.ofSeconds(7)))
                .tokenRejectedStatuses(Set.of(401, 419))
                .defaultTokenLifetime(Duration.ofMinutes(20))
                .refreshAhead(Duration.ofSeconds(30))
                .renewalWindow(Duration.ofSeconds(45))
                .callDeadline(Duration.ofSeconds(12))
                .extraAuthorizationParameters(java.util.Map.of("access_type", "offline"))
                .bearerTokenTypes(Set.of("user"))
                .template(new dev.conduit.api.system.TemplateReference("keycloak", 2))
                .version(3);
    }

    /** A policy that accepts plain http on loopback, as the test server needs, and nothing more. */
    public static EndpointPolicy loopbackPolicy() {
        return EndpointPolicy.allowingLoopback(List.of());
    }

    /** The token endpoint factory of a test: loopback allowed, default timeouts, the given clock. */
    public static HttpTokenEndpointFactory endpoints(Clock clock) {
        return new HttpTokenEndpointFactory(loopbackPolicy(), HttpSettings.DEFAULT, clock);
    }

    /**
     * Timeouts for tests whose servers always answer: connect 2 s, read 5 s. A first request in a cold JVM on a
     * loaded machine can take longer than {@link #fastSettings()}' 500 ms, and a retried token request would then
     * consume an answer the test scripted for later.
     */
    public static HttpSettings answeringSettings() {
        return new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** Short timeouts, so tests of silent servers finish quickly: connect 1 s, read 500 ms. */
    public static HttpSettings fastSettings() {
        return new HttpSettings(Duration.ofSeconds(1), Duration.ofMillis(500));
    }
}
