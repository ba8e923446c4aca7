package dev.conduit.grant.authorizationcode;

import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.lifecycle.AuthorizationService;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryPendingAuthorizationStore;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.core.testing.TestSystems;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The real core (token service, authorization service, in-memory stores, HTTP token endpoint) and the real grant,
 * wired to one {@link HostileTokenServer}: what the end-to-end tests of the authorization code flow drive.
 */
final class AuthorizationFlow implements AutoCloseable {

    static final String REDIRECT_URI = "https://conduit.example.com/api/authorizations/callback?return=%2Fhome";
    static final String ISSUER_PATH = "/realms/Acme";
    static final Subject ALICE = Subject.user("alice");
    static final Subject BOB = Subject.user("bob");

    final HostileTokenServer server = HostileTokenServer.start();
    final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");
    final InMemoryConnectedSystemRepository systems = new InMemoryConnectedSystemRepository(clock);
    final InMemoryTokenStore tokens = new InMemoryTokenStore();
    final InMemoryPendingAuthorizationStore pending = new InMemoryPendingAuthorizationStore(clock);
    final GrantRegistry grants = GrantRegistry.load(AuthorizationFlow.class.getClassLoader());
    final HttpTokenEndpointFactory endpoints = TestSystems.endpoints(clock);
    final TokenService tokenService = new TokenService(systems, tokens, grants, endpoints, clock);
    final AuthorizationService authorizations = new AuthorizationService(systems, tokens, pending, grants, endpoints,
            tokenService, clock);
    final ConnectedSystem system;

    AuthorizationFlow() {
        this(builder -> builder);
    }

    /**
     * A flow whose system is the test factory's authorization code system, with an issuer whose path mixes cases (so
     * that a change of case is a real difference), adjusted by {@code adjust}.
     */
    AuthorizationFlow(UnaryOperator<ConnectedSystem.Builder> adjust) {
        ConnectedSystem.Builder builder = TestSystems.authorizationCode(server).issuer(server.url(ISSUER_PATH));
        system = systems.create(adjust.apply(builder).build());
    }

    String systemName() {
        return system.name();
    }

    /** The issuer configured, which a well-behaved provider sends back as {@code iss}. */
    String issuer() {
        return system.endpoints().issuer().orElseThrow();
    }

    AuthorizationRequest begin(Subject user) {
        return authorizations.begin(systemName(), user, REDIRECT_URI);
    }

    /**
     * A successful callback for {@code request}: its state, a code and the configured issuer as {@code iss}; then
     * {@code extra} name/value pairs, where a {@code null} value removes the parameter.
     */
    Map<String, String> callback(AuthorizationRequest request, String... extra) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("state", request.pending().state().value());
        parameters.put("code", "code-" + request.pending().user().userId());
        system.endpoints().issuer().ifPresent(issuer -> parameters.put("iss", issuer));
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                parameters.remove(extra[i]);
            } else {
                parameters.put(extra[i], extra[i + 1]);
            }
        }
        return parameters;
    }

    Optional<TokenSet> stored(Subject user) {
        return tokens.load(new TokenKey(systemName(), user));
    }

    static Map<String, String> query(URI url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Override
    public void close() {
        server.close();
    }
}
