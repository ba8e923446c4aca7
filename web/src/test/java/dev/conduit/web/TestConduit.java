package dev.conduit.web;

import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.token.Subject;
import dev.conduit.core.config.ConfigLookup;
import dev.conduit.core.config.ConfiguredSystems;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.discovery.MetadataDiscovery;
import dev.conduit.core.engine.Engine;
import dev.conduit.core.integration.IntegrationClient;
import dev.conduit.core.lifecycle.AuthorizationService;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.store.InMemoryAuditTrail;
import dev.conduit.core.provider.TemplateCatalog;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryPendingAuthorizationStore;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.authorization.AuthorizationLinkResource;
import dev.conduit.web.authorization.AuthorizationLinks;
import dev.conduit.web.authorization.AuthorizationResource;
import dev.conduit.web.authorization.PublicUrl;
import dev.conduit.web.invoke.InvokeResource;
import dev.conduit.web.json.RequestBodies;
import dev.conduit.web.system.ConnectedSystemsResource;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.web.template.TemplatesResource;
import dev.conduit.web.transfer.SystemTransfer;
import dev.conduit.web.transfer.TransferResource;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web layer over the real engine, without a container: in-memory stores, the grants found on the class path, the
 * real HTTP token endpoint client talking to a {@link HostileTokenServer}, and the resources built as CDI would.
 */
public final class TestConduit implements AutoCloseable {

    public static final String PUBLIC_URL = "http://conduit.test";
    public static final String REDIRECT_URI = PUBLIC_URL + "/oauth/callback";

    public final HostileTokenServer server = HostileTokenServer.start();
    public final MutableClock clock = MutableClock.startingAt("2026-03-01T10:00:00Z");
    /** The stored systems (what the database holds in the server). */
    public final InMemoryConnectedSystemRepository systems = new InMemoryConnectedSystemRepository(clock);
    /** MicroProfile Config as the server sees it: put {@code conduit.systems.<name>.*} here to declare systems. */
    public final Map<String, String> configuration = new ConcurrentHashMap<>();
    public final ConfiguredSystems configured = new ConfiguredSystems(new ConfigLookup() {
        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(configuration.get(key));
        }

        @Override
        public Set<String> names() {
            return Set.copyOf(configuration.keySet());
        }
    });
    public final InMemoryTokenStore tokens = new InMemoryTokenStore();
    /** The audit trail (what the database holds in the server). */
    public final InMemoryAuditTrail audit = new InMemoryAuditTrail();
    public final InMemoryPendingAuthorizationStore pending = new InMemoryPendingAuthorizationStore(clock);
    public final GrantRegistry grants = GrantRegistry.load(TestConduit.class.getClassLoader());
    /**
     * The engine as the server wires it (declared over cached stored systems), over the stores above, talking to the
     * test server on loopback with timeouts an answering server meets, and retrying without sleeping.
     */
    public final Engine engine = Engine.builder(systems, tokens, grants, clock).pendingAuthorizations(pending)
            .declared(configured).policy(TestSystems.loopbackPolicy()).http(TestSystems.answeringSettings())
            .sleeper(d -> { }).build();
    /** Every system the engine sees: declared over stored, as the server wires them. */
    public final ConnectedSystemRepository allSystems = engine.systems();
    public final HttpTokenEndpointFactory endpoints = engine.endpoints();
    public final TokenService tokenService = engine.tokenService();
    public final AuthorizationService authorizations = engine.authorizations();
    public final IntegrationClient integration = engine.integration();

    public final PublicUrl publicUrl = new PublicUrl(Optional.of(PUBLIC_URL));
    public final RequestBodies bodies = new RequestBodies(RequestBodies.DEFAULT_MAX_BYTES);
    public final AuthorizationLinks links = new AuthorizationLinks(authorizations, publicUrl);

    public final MetadataDiscovery discovery = engine.discovery();
    public final SystemAdministration admin = engine.administration();
    public final TemplateCatalog templates = TemplateCatalog.builtIn();
    public final TemplatesResource templatesResource = new TemplatesResource(templates, publicUrl);
    public final ConnectedSystemsResource systemsResource =
            new ConnectedSystemsResource(admin, links, publicUrl, bodies, templates);
    public final AuthorizationResource authorizationResource = new AuthorizationResource(authorizations);
    public final AuthorizationLinkResource linkResource = new AuthorizationLinkResource(links);
    public final InvokeResource invokeResource = new InvokeResource(admin, integration, links, bodies);
    public final SystemTransfer transfer = new SystemTransfer(admin, clock);
    public final TransferResource transferResource = new TransferResource(transfer, bodies);

    /** A request body. */
    public static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    public static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** The request's URI as JAX-RS would give it, for a request to {@code path} under the API. */
    public static UriInfo uri(String path) {
        URI request = URI.create(PUBLIC_URL + "/api/" + path);
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] {UriInfo.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestUri", "getAbsolutePath" -> request;
                    case "getAbsolutePathBuilder", "getRequestUriBuilder" -> UriBuilder.fromUri(request);
                    case "getBaseUri" -> URI.create(PUBLIC_URL + "/api/");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A logged-in Conduit user with these roles. */
    public static SecurityContext login(String user, String... roles) {
        Set<String> granted = Set.of(roles);
        Principal principal = () -> user;
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return granted.contains(role);
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return BASIC_AUTH;
            }
        };
    }

    public static Subject user(String name) {
        return Subject.user(name);
    }

    /** A client-credentials system on the test server, as an administrator posts it. */
    public String clientCredentialsJson(String name) {
        return """
                {"name": "%s", "grantType": "client_credentials", "tokenEndpoint": "%s",
                 "integrationBaseUrl": "%s", "clientId": "%s", "clientSecret": "%s", "scope": "read write",
                 "retryPolicy": {"maxAttempts": 2, "maxWaitSeconds": 5}}
                """.formatted(name, server.url("/token"), server.url("/api"), TestSystems.CLIENT_ID,
                TestSystems.CLIENT_SECRET);
    }

    /** An authorization-code system on the test server, as an administrator posts it. */
    public String authorizationCodeJson(String name) {
        return """
                {"name": "%s", "grantType": "authorization_code", "tokenEndpoint": "%s",
                 "authorizationEndpoint": "%s", "issuer": "%s", "integrationBaseUrl": "%s",
                 "clientId": "%s", "clientSecret": "%s", "scope": "openid profile"}
                """.formatted(name, server.url("/token"), server.url("/authorize"), server.url(""),
                server.url("/api"), TestSystems.CLIENT_ID, TestSystems.CLIENT_SECRET);
    }

    @Override
    public void close() {
        server.close();
    }
}
