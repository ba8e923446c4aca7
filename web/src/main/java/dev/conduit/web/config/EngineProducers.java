package dev.conduit.web.config;

import dev.conduit.api.grant.PendingAuthorizationStore;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.token.TokenStore;
import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.audit.AuditRecorder;
import dev.conduit.core.audit.AuditRetention;
import dev.conduit.core.audit.AuditTrail;
import dev.conduit.core.config.ConfiguredSystems;
import dev.conduit.core.config.LayeredSystemRepository;
import dev.conduit.core.crypto.KeyRotation;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.discovery.MetadataDiscovery;
import dev.conduit.core.engine.Engine;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.integration.CallLimits;
import dev.conduit.core.integration.IntegrationClient;
import dev.conduit.core.invalidation.Invalidations;
import dev.conduit.core.integration.ProxyHeaders;
import dev.conduit.core.integration.ProxySettings;
import dev.conduit.core.lifecycle.AuthorizationService;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.provider.TemplateCatalog;
import dev.conduit.core.lifecycle.Sleeper;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.observe.EngineObserver;
import dev.conduit.core.observe.LogFields;
import dev.conduit.web.observe.ConduitMetrics;
import dev.conduit.web.observe.ConduitTracing;
import dev.conduit.web.observe.LibertyLogFields;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.policy.HostResolver;
import dev.conduit.web.authorization.AuthorizationLinks;
import dev.conduit.web.authorization.PublicUrl;
import dev.conduit.web.json.RequestBodies;
import dev.conduit.web.restclient.RestClientTokens;
import dev.conduit.web.audit.FailedLogins;
import dev.conduit.web.store.EncryptionKeys;
import dev.conduit.web.store.JdbcAuditTrail;
import dev.conduit.web.store.JdbcConnectedSystemRepository;
import dev.conduit.web.store.JdbcPendingAuthorizationStore;
import dev.conduit.web.store.JdbcTokenStore;
import dev.conduit.web.store.KeyCoverage;
import dev.conduit.web.store.Migrations;
import dev.conduit.web.store.PostgresInvalidations;
import dev.conduit.web.transfer.SystemTransfer;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import io.opentelemetry.api.OpenTelemetry;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Builds Conduit's engine once per application from plain core classes: the engine knows nothing of CDI, so it stays
 * testable without a container. Products are {@code @Singleton} (no client proxy), since the core classes are final.
 */
@ApplicationScoped
public class EngineProducers {

    private static final Logger LOG = Logger.getLogger(EngineProducers.class.getName());

    /**
     * Unshareable: a closed connection goes back to the pool at once. A shareable one stays with the request until it
     * ends (Liberty keeps it for the request's local transaction), so callers waiting for a token's lease, which poll
     * the database, would each hold a connection for the whole wait, and a burst of them would exhaust the pool.
     */
    @Resource(lookup = "jdbc/conduit", shareable = false)
    DataSource dataSource;

    /**
     * A data source whose schema is migrated: stores take this, never the raw data source, so order is guaranteed.
     *
     * @param postgresql whether it is PostgreSQL, which several servers may share
     */
    public record MigratedDatabase(DataSource dataSource, boolean postgresql) {
    }

    @Produces
    @Singleton
    ConduitSettings settings() {
        Config config = ConfigProvider.getConfig(EngineProducers.class.getClassLoader());
        List<String> hosts = config.getOptionalValue(ConduitSettings.ALLOWED_HOSTS, String.class)
                .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(h -> !h.isEmpty()).toList())
                .orElse(List.of());
        return new ConduitSettings(
                config.getOptionalValue(ConduitSettings.PUBLIC_URL, String.class),
                config.getOptionalValue(ConduitSettings.ALLOW_LOOPBACK_HTTP, Boolean.class).orElse(false),
                hosts,
                config.getOptionalValue(ConduitSettings.MAX_REQUEST_BYTES, Integer.class)
                        .orElse(RequestBodies.DEFAULT_MAX_BYTES));
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    PublicUrl publicUrl(ConduitSettings settings) {
        return new PublicUrl(settings.publicUrl());
    }

    @Produces
    @Singleton
    RequestBodies requestBodies(ConduitSettings settings) {
        return new RequestBodies(settings.maxRequestBytes());
    }

    /** The grants installed in the WAR, found with its own class loader; fails start-up loudly when one is broken. */
    @Produces
    @Singleton
    GrantRegistry grants() {
        return GrantRegistry.load(EngineProducers.class.getClassLoader());
    }

    @Produces
    @Singleton
    EndpointPolicy endpointPolicy(ConduitSettings settings) {
        return new EndpointPolicy(settings.allowLoopbackHttp(), settings.allowedHosts(), HostResolver.SYSTEM);
    }

    @Produces
    @Singleton
    HttpSettings httpSettings() {
        return HttpSettings.DEFAULT;
    }

    /**
     * Encrypts client secrets, tokens and pending authorizations at rest: the key from {@code conduit.encryption.key}
     * (or {@code CONDUIT_ENCRYPTION_KEY}), else one generated on the first start and kept in {@code conduit.data.dir}.
     */
    @Produces
    @Singleton
    SecretCipher cipher() {
        Config config = ConfigProvider.getConfig(EngineProducers.class.getClassLoader());
        Path dataDirectory = Path.of(config.getOptionalValue(ConduitSettings.DATA_DIR, String.class).orElse("data"));
        return new EncryptionKeys(dataDirectory).cipher(
                config.getOptionalValue(ConduitSettings.ENCRYPTION_KEY, String.class));
    }

    /** The database behind {@code jdbc/conduit}, its schema migrated before any store touches it. */
    @Produces
    @Singleton
    MigratedDatabase database() {
        String product = DatabaseProducts.name(dataSource);
        DatabaseProducts.requireConfigured(ConfigProvider.getConfig(EngineProducers.class.getClassLoader())
                .getOptionalValue(ConduitSettings.DATABASE, String.class).orElse("h2"), product);
        String version = Migrations.migrate(dataSource);
        LOG.info(() -> product + " database schema at version " + version);
        return new MigratedDatabase(dataSource, DatabaseProducts.isPostgresql(product));
    }

    /** Which encryption keys the stored rows need that this server lacks (readiness). */
    @Produces
    @Singleton
    KeyCoverage keyCoverage(MigratedDatabase database, SecretCipher cipher) {
        return new KeyCoverage(database.dataSource(), cipher);
    }

    /**
     * How this server hears what other servers change: PostgreSQL's LISTEN/NOTIFY when the database is PostgreSQL
     * (shared by several servers), this JVM alone on H2 (one server).
     */
    @Produces
    @Singleton
    Invalidations invalidations(MigratedDatabase database) {
        if (database.postgresql()) {
            LOG.info("PostgreSQL: other servers' changes are heard through LISTEN/NOTIFY on channel "
                    + PostgresInvalidations.CHANNEL);
            return PostgresInvalidations.start(database.dataSource());
        }
        return Invalidations.local();
    }

    /** Stops the egress tunnel (the listening socket, its relays) with the application. */
    void closeEgress(@Disposes EndpointPolicy policy) {
        policy.close();
    }

    void closeInvalidations(@Disposes Invalidations invalidations) {
        if (invalidations instanceof PostgresInvalidations listening) {
            listening.close();
        }
    }

    /**
     * The systems declared under {@code conduit.systems.<name>.*}, read from MicroProfile Config on every lookup, so
     * environment variables and secret references ({@code ${ORDERS_CLIENT_SECRET}}) apply at use. Whether a name is
     * declared at all is remembered as long as a stored system is ({@code conduit.systems.cache-seconds}).
     */
    @Produces
    @Singleton
    ConfiguredSystems configuredSystems(Clock clock) {
        Config config = ConfigProvider.getConfig(EngineProducers.class.getClassLoader());
        return new ConfiguredSystems(new MicroProfileConfigLookup(config), clock, systemCache(config));
    }

    private static Duration systemCache(Config config) {
        return config.getOptionalValue(ConduitSettings.SYSTEM_CACHE_SECONDS, Integer.class).map(Duration::ofSeconds)
                .orElse(Engine.DEFAULT_SYSTEM_CACHE);
    }

    /**
     * The engine over the database's stores, wired as {@link Engine} wires it for the tests and benchmarks too: the
     * systems declared in configuration (read-only) over the ones administrators store in the database, which are kept
     * briefly in memory ({@code conduit.systems.cache-seconds}), so that an integration call does not read and decrypt
     * its system each time, and forgotten when any server changes them ({@link Invalidations}).
     */
    @Produces
    @Singleton
    Engine engine(ConfiguredSystems configured, MigratedDatabase database, SecretCipher cipher, Clock clock,
            GrantRegistry grants, EndpointPolicy policy, HttpSettings http, EngineObserver observer,
            Invalidations invalidations) {
        Config config = ConfigProvider.getConfig(EngineProducers.class.getClassLoader());
        JdbcConnectedSystemRepository stored = new JdbcConnectedSystemRepository(database.dataSource(), cipher, clock);
        stored.sealRowsOfEarlierVersions();
        JdbcTokenStore tokens = new JdbcTokenStore(database.dataSource(), cipher, clock,
                JdbcTokenStore.DEFAULT_LOCK_TIMEOUT, config.getOptionalValue(ConduitSettings.TOKEN_LEASE_SECONDS,
                        Integer.class).map(Duration::ofSeconds).orElse(JdbcTokenStore.DEFAULT_LEASE));
        return Engine.builder(stored, tokens, grants, clock)
                .pendingAuthorizations(new JdbcPendingAuthorizationStore(database.dataSource(), cipher, clock))
                .declared(configured).policy(policy).http(http).observer(observer).invalidations(invalidations)
                .sleeper(Sleeper.THREAD)
                .renewalWindow(config.getOptionalValue(ConduitSettings.RENEWAL_WINDOW_SECONDS, Integer.class)
                        .map(Duration::ofSeconds).orElse(TokenService.DEFAULT_RENEWAL_WINDOW))
                .callLimits(new CallLimits(
                        config.getOptionalValue(ConduitSettings.INTEGRATION_DEADLINE_SECONDS, Integer.class)
                                .map(Duration::ofSeconds).orElse(CallLimits.DEFAULT.deadline()),
                        config.getOptionalValue(ConduitSettings.INTEGRATION_MAX_RESPONSE_BYTES, Integer.class)
                                .orElse(CallLimits.DEFAULT.maxResponseBytes())))
                .systemCache(systemCache(config))
                .build();
    }

    /** Every system: declared in configuration over stored in the database. */
    @Produces
    @Singleton
    ConnectedSystemRepository systems(Engine engine) {
        return engine.systems();
    }

    @Produces
    @Singleton
    TokenStore tokenStore(Engine engine) {
        return engine.tokens();
    }

    @Produces
    @Singleton
    PendingAuthorizationStore pendingAuthorizations(Engine engine) {
        return engine.pendingAuthorizations();
    }

    /**
     * The provider templates: the built-in catalog plus the files in {@code conduit.templates.dir}. A broken file is
     * reported at start-up ({@link StartupCheck}) and left out; the others load.
     */
    @Produces
    @Singleton
    TemplateCatalog templates() {
        return TemplateCatalog.load(ConfigProvider.getConfig(EngineProducers.class.getClassLoader())
                .getOptionalValue(ConduitSettings.TEMPLATES_DIR, String.class).filter(v -> !v.isBlank())
                .map(v -> Path.of(v.strip())));
    }

    /** Reads an issuer's metadata when a system is saved with an issuer and no endpoints (RFC 8414, OIDC Discovery). */
    @Produces
    @Singleton
    MetadataDiscovery metadataDiscovery(Engine engine) {
        return engine.discovery();
    }

    /** Both the token endpoints lent to grants and the introspection of the tokens they issue. */
    @Produces
    @Singleton
    HttpTokenEndpointFactory tokenEndpoints(Engine engine) {
        return engine.endpoints();
    }

    /**
     * Metrics (mpMetrics, at /metrics) and traces (mpTelemetry) of token requests and integration calls; and log lines
     * with the system and ErrorCode as fields.
     */
    @Produces
    @Singleton
    EngineObserver observer(MetricRegistry registry, OpenTelemetry openTelemetry, ConfiguredSystems configured,
            MigratedDatabase database, SecretCipher cipher, Clock clock) {
        LogFields.install(LibertyLogFields.create()); // the system and ErrorCode as fields of JSON log lines
        // the gauges read the database at each scrape, through stores of their own: the engine takes this observer
        JdbcPendingAuthorizationStore pending = new JdbcPendingAuthorizationStore(database.dataSource(), cipher, clock);
        ConnectedSystemRepository systems = new LayeredSystemRepository(configured,
                new JdbcConnectedSystemRepository(database.dataSource(), cipher, clock), clock);
        return EngineObserver.all(new ConduitMetrics(registry, systems, pending::countWaiting),
                new ConduitTracing(openTelemetry));
    }

    @Produces
    @Singleton
    TokenService tokenService(Engine engine) {
        return engine.tokenService();
    }

    @Produces
    @Singleton
    AuthorizationService authorizationService(Engine engine) {
        return engine.authorizations();
    }

    @Produces
    @Singleton
    IntegrationClient integrationClient(Engine engine) {
        return engine.integration();
    }

    @Produces
    @Singleton
    ProxySettings proxySettings() {
        Config config = ConfigProvider.getConfig(EngineProducers.class.getClassLoader());
        List<String> added = config.getOptionalValues(ConduitSettings.PROXY_FORWARD_HEADERS, String.class)
                .orElse(List.of());
        return new ProxySettings(new ProxyHeaders(added), config.getOptionalValue(
                ConduitSettings.PROXY_REPLAY_MAX_BYTES, Integer.class).orElse(ProxySettings.DEFAULT.replayMaxBytes()));
    }

    @Produces
    @Singleton
    SystemAdministration administration(Engine engine) {
        return engine.administration();
    }

    @Produces
    @Singleton
    AuthorizationLinks authorizationLinks(AuthorizationService authorizations, PublicUrl publicUrl) {
        return new AuthorizationLinks(authorizations, publicUrl);
    }

    /**
     * The tokens typed Rest Clients send ({@code ConduitAuthentication}); the caller is the user of the request being
     * served, looked up at each call, since the filter runs on that request's thread.
     */
    @Produces
    @Singleton
    RestClientTokens restClientTokens(SystemAdministration admin, TokenService tokens, AuthorizationLinks links,
            EndpointPolicy policy) {
        return new RestClientTokens(admin, tokens, links, EngineProducers::currentCaller, policy);
    }

    /** The user and URI of the request being served, or neither outside a request (a timer, a message). */
    static RestClientTokens.Caller currentCaller() {
        try {
            HttpServletRequest request = CDI.current().select(HttpServletRequest.class).get();
            return new RestClientTokens.Caller(request.getUserPrincipal(), URI.create(request.getRequestURL().toString()));
        } catch (ContextNotActiveException | IllegalStateException e) {
            return new RestClientTokens.Caller(null, null);
        }
    }

    /**
     * Re-encrypts every stored secret and token under the primary key ({@code POST /api/keys/rotate}); the stores
     * here are separate instances over the same database and cipher, since the served ones sit behind caches and
     * interfaces.
     */
    @Produces
    @Singleton
    KeyRotation keyRotation(MigratedDatabase database, SecretCipher cipher, Clock clock) {
        DataSource data = database.dataSource();
        return new KeyRotation(cipher, List.of(new JdbcConnectedSystemRepository(data, cipher, clock),
                new JdbcTokenStore(data, cipher, clock), new JdbcPendingAuthorizationStore(data, cipher, clock)));
    }

    /** The audit trail as administrators read it ({@code GET /api/audit}). */
    @Produces
    @Singleton
    AuditTrail auditTrail(MigratedDatabase database) {
        return new JdbcAuditTrail(database.dataSource());
    }

    /**
     * Where audit events go: the database, purging records older than {@code conduit.audit.retention-days} (default
     * 365) at most once an hour.
     */
    @Produces
    @Singleton
    AuditRecorder auditRecorder(MigratedDatabase database, AuditTrail trail, Clock clock) {
        int days = ConfigProvider.getConfig(EngineProducers.class.getClassLoader())
                .getOptionalValue(ConduitSettings.AUDIT_RETENTION_DAYS, Integer.class)
                .orElse(ConduitSettings.DEFAULT_AUDIT_RETENTION_DAYS);
        if (days < 1) {
            throw ConduitException.builder(ErrorCode.INVALID_CONFIGURATION, ConduitSettings.AUDIT_RETENTION_DAYS
                    + ": must be at least 1 (days), was " + days).field(ConduitSettings.AUDIT_RETENTION_DAYS).build();
        }
        return new AuditRetention(new JdbcAuditTrail(database.dataSource()), trail, Duration.ofDays(days),
                AuditRetention.DEFAULT_PURGE_INTERVAL, clock);
    }

    @Produces
    @Singleton
    FailedLogins failedLogins(AuditRecorder recorder, Clock clock) {
        return new FailedLogins(recorder, clock);
    }

    @Produces
    @Singleton
    SystemTransfer transfer(SystemAdministration admin, Clock clock) {
        return new SystemTransfer(admin, clock);
    }

}
