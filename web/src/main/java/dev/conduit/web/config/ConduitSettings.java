package dev.conduit.web.config;

import java.util.List;
import java.util.Optional;

/**
 * Conduit's MicroProfile Config keys, read once at start-up.
 *
 * @param publicUrl             {@code conduit.public-url}: where people and providers reach Conduit; default: the
 *                              request's own scheme, host and port
 * @param allowLoopbackHttp     {@code conduit.endpoints.allow-loopback-http}: accept http:// and loopback endpoints
 *                              (development and tests only); default false
 * @param allowedHosts          {@code conduit.endpoints.allowed-hosts}: hosts accepted although they resolve to private
 *                              addresses (comma-separated); default none
 * @param maxRequestBytes       {@code conduit.api.max-request-bytes}: the largest request body; default 256 KiB
 */
public record ConduitSettings(Optional<String> publicUrl, boolean allowLoopbackHttp, List<String> allowedHosts,
        int maxRequestBytes) {

    public static final String PUBLIC_URL = "conduit.public-url";
    public static final String ALLOW_LOOPBACK_HTTP = "conduit.endpoints.allow-loopback-http";
    public static final String ALLOWED_HOSTS = "conduit.endpoints.allowed-hosts";
    public static final String MAX_REQUEST_BYTES = "conduit.api.max-request-bytes";
    public static final String ENCRYPTION_KEY = "conduit.encryption.key";
    public static final String DATA_DIR = "conduit.data.dir";
    /** The database behind jdbc/conduit, {@code h2} (default) or {@code postgresql}: a server.xml variable. */
    public static final String DATABASE = "conduit.database";
    /** A folder of the organisation's own provider templates, one {@code *.json} file each. */
    public static final String TEMPLATES_DIR = "conduit.templates.dir";
    /**
     * How long a server remembers HTTP Basic credentials the user registry accepted (default 10; 0: ask the registry on
     * every request); a changed password or a removed user takes effect on that server after this. Read at start.
     */
    public static final String BASIC_LOGIN_CACHE_SECONDS = "conduit.security.basic-login-cache-seconds";
    /** How long a server keeps a stored connected system in memory; an edit on another server shows after this. */
    public static final String SYSTEM_CACHE_SECONDS = "conduit.systems.cache-seconds";
    /**
     * How often a key's token is renewed at most after the resource server rejected it, and how long a token whose
     * renewal failed is served before trying again (default 30).
     */
    public static final String RENEWAL_WINDOW_SECONDS = "conduit.tokens.renewal-window-seconds";
    /**
     * How long a token's lease in the database lasts (default 30): the longest another server waits for a key whose
     * holder died mid-request. Longer than the longest token request, since a renewal that outlasts it is not stored.
     */
    public static final String TOKEN_LEASE_SECONDS = "conduit.tokens.lease-seconds";
    /** The total time one integration call may take, headers and body (default 30). */
    public static final String INTEGRATION_DEADLINE_SECONDS = "conduit.integration.deadline-seconds";
    /** The largest resource-server answer an integration call relays (default 16 MiB). */
    public static final String INTEGRATION_MAX_RESPONSE_BYTES = "conduit.integration.max-response-bytes";
    /** The largest request body the proxy keeps so that it can send it again after a token rejection (default 64 KiB). */
    public static final String PROXY_REPLAY_MAX_BYTES = "conduit.proxy.replay-max-bytes";
    /** Request header names the proxy forwards beyond its default allow-list (comma-separated). */
    public static final String PROXY_FORWARD_HEADERS = "conduit.proxy.forward-headers";
    /** How many days an audit record is kept before it is purged. */
    public static final String AUDIT_RETENTION_DAYS = "conduit.audit.retention-days";
    public static final int DEFAULT_AUDIT_RETENTION_DAYS = 365;

    public ConduitSettings {
        allowedHosts = List.copyOf(allowedHosts);
    }
}
