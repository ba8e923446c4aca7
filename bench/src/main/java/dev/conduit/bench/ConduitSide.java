package dev.conduit.bench;

import dev.conduit.core.invalidation.Invalidations;
import dev.conduit.core.lifecycle.Sleeper;
import dev.conduit.core.observe.EngineObserver;

import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.RetryPolicy;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.engine.Engine;
import dev.conduit.core.lifecycle.AccessToken;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Conduit as an application embeds it: a {@link TokenService} over in-memory systems and tokens, the real client
 * credentials grant and the real HTTP token endpoint client, pointed at the shared loopback token endpoint.
 */
public final class ConduitSide {

    /** The per-app system served by the client credentials grant. */
    public static final String SYSTEM = "bench";
    /** The per-user system served by {@link PerUserBenchGrant}. */
    public static final String USER_SYSTEM = "bench-users";

    private final TokenStore store;
    private final ConnectedSystemRepository systems;
    /** Tokens go only to loopback addresses: every server of the benchmarks listens there. */
    private final EndpointPolicy policy = EndpointPolicy.allowingLoopback(List.of());
    private final GrantRegistry grants;
    /** The engine as the server wires it, over the given stores. */
    private final Engine engine;
    private final TokenService tokens;
    private final Clock clock;
    /** The per-app system as an application holds it after reading it once. */
    private final ConnectedSystem perApp;
    /** The per-user system as an application holds it after reading it once. */
    private final ConnectedSystem perUser;

    public ConduitSide(String tokenUrl, Clock clock) {
        this(tokenUrl, clock, new InMemoryTokenStore());
    }

    public ConduitSide(String tokenUrl, Clock clock, TokenStore store) {
        this(tokenUrl, clock, store, new InMemoryConnectedSystemRepository(clock));
    }

    /** Over the given stores (e.g. the JDBC ones), which get both systems registered. */
    public ConduitSide(String tokenUrl, Clock clock, TokenStore store, ConnectedSystemRepository systems) {
        this.clock = clock;
        this.store = store;
        this.systems = systems;
        systems.create(system(SYSTEM, ClientCredentialsGrant.TYPE, tokenUrl));
        systems.create(system(USER_SYSTEM, PerUserBenchGrant.TYPE, tokenUrl));
        this.perApp = systems.get(SYSTEM);
        this.perUser = systems.get(USER_SYSTEM);
        this.grants = GrantRegistry.of(new ClientCredentialsGrant(), new PerUserBenchGrant());
        this.engine = Engine.builder(systems, store, grants, clock).policy(policy)
                .build();
        this.tokens = engine.tokenService();
    }

    /**
     * Another token service over the engine's systems, store and endpoints: its memory starts empty (a cold node). Not
     * a whole engine, whose HTTP client alone would cost more than the miss measured.
     */
    public TokenService newTokenService() {
        return new TokenService(engine.systems(), store, grants, engine.endpoints(), clock);
    }

    /**
     * Registers another per-app client credentials system whose tokens go to calls under {@code integrationBaseUrl}
     * (what a typed Rest Client needs), on the same token endpoint, and returns it as read back.
     */
    public ConnectedSystem registerIntegration(String name, String tokenUrl, String integrationBaseUrl) {
        systems.create(system(name, ClientCredentialsGrant.TYPE, tokenUrl).toBuilder()
                .integrationBaseUrl(integrationBaseUrl).build());
        return systems.get(name);
    }

    /** The engine as the server wires it: its administration and authorizations. */
    public Engine engine() {
        return engine;
    }

    /** Where the engine lets tokens go. */
    public EndpointPolicy policy() {
        return policy;
    }

    private static ConnectedSystem system(String name, String grantType, String tokenUrl) {
        return ConnectedSystem.builder()
                .name(name)
                .grantType(grantType)
                .tokenEndpoint(tokenUrl)
                .clientId(LoopbackTokenServer.CLIENT_ID)
                .clientSecret(Secret.of(LoopbackTokenServer.CLIENT_SECRET))
                .clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                .scope("read")
                .retryPolicy(new RetryPolicy(3, Duration.ofSeconds(30)))
                .build();
    }

    /**
     * A token service of another server: its own view of the systems and its own store instance over the same
     * database, the same grants and endpoints, and the invalidations it shares with the other servers.
     */
    public TokenService tokenServiceOf(ConnectedSystemRepository systems, TokenStore store,
            Invalidations invalidations) {
        return new TokenService(systems, store, grants, engine.endpoints(), clock, Sleeper.THREAD,
                TokenService.DEFAULT_RENEWAL_WINDOW, EngineObserver.NONE, invalidations);
    }

    /** The per-app system as an application holds it after reading it once. */
    public ConnectedSystem appSystem() {
        return perApp;
    }

    /** The per-user system, read once, as a caller passes it to {@link TokenService#accessToken}. */
    public ConnectedSystem userSystem() {
        return perUser;
    }

    public TokenService tokenService() {
        return tokens;
    }

    /** The application's token of the per-app system: what an integration call asks for. */
    public AccessToken applicationToken() {
        return tokens.accessToken(perApp, Subject.application());
    }

    /** Replaces the application's token by one that expired a millisecond ago, as if its lifetime had just run out. */
    public void seedJustExpired() {
        Instant now = clock.instant();
        tokens.accept(perApp, Subject.application(), new TokenSet(Secret.of("seed-expired"), "Bearer",
                now.minus(Duration.ofHours(1)), now.minusMillis(1), null, Scope.parse("read")));
    }

    /** Stores a valid one-hour token for one user of the per-user system, as completing an authorization would. */
    public void acceptUserToken(Subject user, String value) {
        Instant now = clock.instant();
        tokens.accept(perUser, user, new TokenSet(Secret.of(value), "Bearer", now, now.plus(Duration.ofHours(1)),
                Secret.of("refresh-" + value), Scope.parse("read")));
    }

}
