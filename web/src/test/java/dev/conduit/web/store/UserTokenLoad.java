package dev.conduit.web.store;

import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.Sleeper;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.core.testing.UserRefreshGrant;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine as a server wires it for the database tests of whole-system behaviour: JDBC stores on a connection pool,
 * one per-user connected system whose token endpoint is a test server that refreshes any user's token.
 */
final class UserTokenLoad implements AutoCloseable {

    static final String SYSTEM = "calendar";

    final HostileTokenServer server = HostileTokenServer.start();
    final HikariDataSource pool;
    final SecretCipher cipher;
    final ConnectedSystemRepository systems;
    /** The per-user system, read once as an application holds it. */
    final ConnectedSystem system;
    final TokenStore store;
    final TokenService service;
    final AtomicInteger refreshes = new AtomicInteger();

    /**
     * Conduit's default timeouts and lease, and a token endpoint that answers at once.
     *
     * @param poolSize     the pool's connections
     * @param poolWait     how long a caller waits for a connection (Liberty's default is 30 s)
     * @param lifetime     the lifetime of each refreshed token
     */
    UserTokenLoad(String jdbcUrl, SecretCipher cipher, int poolSize, Duration poolWait, Duration lifetime) {
        this(jdbcUrl, cipher, poolSize, poolWait, lifetime, HttpSettings.DEFAULT, JdbcTokenStore.DEFAULT_LEASE);
    }

    /**
     * @param poolSize     the pool's connections
     * @param poolWait     how long a caller waits for a connection
     * @param lifetime     the lifetime of each refreshed token
     * @param http         how long Conduit waits on the token endpoint
     * @param lease        how long a key's lease lasts (longer than a token request may take)
     */
    UserTokenLoad(String jdbcUrl, SecretCipher cipher, int poolSize, Duration poolWait, Duration lifetime,
            HttpSettings http, Duration lease) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(poolWait.toMillis());
        config.setInitializationFailTimeout(-1); // the pool starts even while the database is away
        pool = new HikariDataSource(config);
        this.cipher = cipher;
        Clock clock = Clock.systemUTC();
        systems = new JdbcConnectedSystemRepository(pool, cipher, clock);
        store = new JdbcTokenStore(pool, cipher, clock, JdbcTokenStore.DEFAULT_LOCK_TIMEOUT, lease);
        service = new TokenService(systems, store, GrantRegistry.of(new UserRefreshGrant()),
                new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(), http, clock), clock, Sleeper.THREAD);
        server.path("/token").handle(request -> {
            int n = refreshes.incrementAndGet();
            String user = request.formParameter("refresh_token").orElseThrow().split("/")[0];
            return ScriptedResponse.okToken("at-" + user + "-" + n, lifetime.toSeconds(), user + "/rt-" + n);
        });
        if (systems.find(SYSTEM).isEmpty()) {
            systems.create(TestSystems.clientCredentials(server).name(SYSTEM).grantType(UserRefreshGrant.TYPE)
                    .build());
        }
        system = systems.get(SYSTEM);
    }

    /** Stores a token for {@code user} that has just expired, as if the user had authorized an hour ago. */
    void expiredToken(Subject user) {
        Instant now = Instant.now();
        service.accept(system, user, new TokenSet(Secret.of("at-" + user.userId() + "-0"), "Bearer",
                now.minus(Duration.ofHours(1)), now.minusSeconds(1), Secret.of(user.userId() + "/rt-0"),
                Scope.parse("read")));
    }

    @Override
    public void close() {
        pool.close();
        server.close();
    }
}
