package dev.conduit.core.engine;

import dev.conduit.api.grant.PendingAuthorizationStore;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.token.TokenStore;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.config.ConfigLookup;
import dev.conduit.core.config.ConfiguredSystems;
import dev.conduit.core.config.LayeredSystemRepository;
import dev.conduit.core.discovery.MetadataDiscovery;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.integration.CallLimits;
import dev.conduit.core.integration.IntegrationClient;
import dev.conduit.core.invalidation.Invalidations;
import dev.conduit.core.lifecycle.AuthorizationService;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.Sleeper;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.observe.EngineObserver;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.policy.HostResolver;
import dev.conduit.core.store.CachingSystemRepository;
import dev.conduit.core.store.InMemoryPendingAuthorizationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Conduit's engine, wired in one place: the server ({@code EngineProducers}), the web tests ({@code TestConduit}) and
 * the benchmarks build it here, so that what the tests and the benchmarks run is what the server runs. The stores,
 * grants, clock and settings come from outside; the rest is built from them, the same way every time:
 *
 * <pre>
 * systems       = declared in configuration over CachingSystemRepository(stored systems, invalidations)
 * tokenService  = TokenService(systems, tokens, grants, endpoints, invalidations)
 * authorizations, integration, administration over the same systems, token service and endpoints
 * </pre>
 */
public final class Engine {

    /** How long a stored system read is kept when nothing else is said: an edit on another server shows after it. */
    public static final Duration DEFAULT_SYSTEM_CACHE = Duration.ofSeconds(2);

    private final ConnectedSystemRepository systems;
    private final TokenStore tokens;
    private final PendingAuthorizationStore pendingAuthorizations;
    private final HttpTokenEndpointFactory endpoints;
    private final MetadataDiscovery discovery;
    private final TokenService tokenService;
    private final AuthorizationService authorizations;
    private final IntegrationClient integration;
    private final SystemAdministration administration;

    private Engine(Builder b) {
        Invalidations invalidations = b.invalidations.orElseGet(Invalidations::local);
        systems = new LayeredSystemRepository(b.declared,
                new CachingSystemRepository(b.storedSystems, b.clock, b.systemCache, invalidations), b.clock);
        tokens = b.tokens;
        pendingAuthorizations = b.pendingAuthorizations.orElseGet(() -> new InMemoryPendingAuthorizationStore(b.clock));
        endpoints = new HttpTokenEndpointFactory(b.policy, b.http, b.clock);
        discovery = new MetadataDiscovery(b.policy, b.http);
        tokenService = new TokenService(systems, tokens, b.grants, endpoints, b.clock, b.sleeper, b.renewalWindow,
                b.observer, invalidations);
        authorizations = new AuthorizationService(systems, tokens, pendingAuthorizations, b.grants, endpoints,
                tokenService, b.clock);
        integration = new IntegrationClient(systems, tokenService, b.policy, b.http, b.callLimits, b.observer);
        administration = new SystemAdministration(systems, b.grants, b.policy::checkSystem, tokenService, b.clock,
                b.declared, discovery, endpoints);
    }

    /**
     * An engine over these stores and grants; everything else has the server's defaults until the builder says
     * otherwise.
     *
     * @param storedSystems the systems administrators store (a database in the server)
     */
    public static Builder builder(ConnectedSystemRepository storedSystems, TokenStore tokens, GrantRegistry grants,
            Clock clock) {
        return new Builder(storedSystems, tokens, grants, clock);
    }

    /** Every system: those declared in configuration (read-only) over the stored ones, kept briefly in memory. */
    public ConnectedSystemRepository systems() {
        return systems;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public PendingAuthorizationStore pendingAuthorizations() {
        return pendingAuthorizations;
    }

    /** The token endpoints lent to grants, which also introspect the tokens they issued. */
    public HttpTokenEndpointFactory endpoints() {
        return endpoints;
    }

    public MetadataDiscovery discovery() {
        return discovery;
    }

    public TokenService tokenService() {
        return tokenService;
    }

    public AuthorizationService authorizations() {
        return authorizations;
    }

    public IntegrationClient integration() {
        return integration;
    }

    public SystemAdministration administration() {
        return administration;
    }

    /** The parts and settings of an {@link Engine}; unset settings are the server's defaults. */
    public static final class Builder {
        private final ConnectedSystemRepository storedSystems;
        private final TokenStore tokens;
        private final GrantRegistry grants;
        private final Clock clock;
        private Optional<PendingAuthorizationStore> pendingAuthorizations = Optional.empty();
        private ConfiguredSystems declared = new ConfiguredSystems(NOTHING_DECLARED);
        private EndpointPolicy policy = new EndpointPolicy(false, List.of(), HostResolver.SYSTEM);
        private HttpSettings http = HttpSettings.DEFAULT;
        private EngineObserver observer = EngineObserver.NONE;
        private Sleeper sleeper = Sleeper.THREAD;
        private Duration renewalWindow = TokenService.DEFAULT_RENEWAL_WINDOW;
        private CallLimits callLimits = CallLimits.DEFAULT;
        private Duration systemCache = DEFAULT_SYSTEM_CACHE;
        private Optional<Invalidations> invalidations = Optional.empty();

        private Builder(ConnectedSystemRepository storedSystems, TokenStore tokens, GrantRegistry grants,
                Clock clock) {
            this.storedSystems = Objects.requireNonNull(storedSystems, "storedSystems");
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            this.grants = Objects.requireNonNull(grants, "grants");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Where pending authorizations are kept; in this JVM's memory when not given. */
        public Builder pendingAuthorizations(PendingAuthorizationStore store) {
            pendingAuthorizations = Optional.of(store);
            return this;
        }

        /** The systems declared in configuration ({@code conduit.systems.<name>.*}); none when not given. */
        public Builder declared(ConfiguredSystems systems) {
            declared = Objects.requireNonNull(systems, "systems");
            return this;
        }

        /** Which URLs may be called; https on public hosts only when not given. */
        public Builder policy(EndpointPolicy endpointPolicy) {
            policy = Objects.requireNonNull(endpointPolicy, "endpointPolicy");
            return this;
        }

        public Builder http(HttpSettings settings) {
            http = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Metrics, traces and log fields of token requests and integration calls; none when not given. */
        public Builder observer(EngineObserver engineObserver) {
            observer = Objects.requireNonNull(engineObserver, "engineObserver");
            return this;
        }

        /** How the retry loop waits between attempts; a test passes one that does not sleep. */
        public Builder sleeper(Sleeper retrySleeper) {
            sleeper = Objects.requireNonNull(retrySleeper, "retrySleeper");
            return this;
        }

        public Builder renewalWindow(Duration window) {
            renewalWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        public Builder callLimits(CallLimits limits) {
            callLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** How long a stored system read is kept in memory ({@link #DEFAULT_SYSTEM_CACHE}); zero keeps none. */
        public Builder systemCache(Duration timeToLive) {
            systemCache = Objects.requireNonNull(timeToLive, "timeToLive");
            return this;
        }

        /**
         * How this node hears what other nodes sharing the stores change; this JVM alone when not given (one server, a
         * test). The system cache and the token service share it.
         */
        public Builder invalidations(Invalidations shared) {
            invalidations = Optional.of(shared);
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }

    private static final ConfigLookup NOTHING_DECLARED = new ConfigLookup() {
        @Override
        public Optional<String> get(String key) {
            return Optional.empty();
        }

        @Override
        public Set<String> names() {
            return Set.of();
        }
    };
}
