package dev.conduit.core.integration;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Which headers the proxy passes on. From the caller to the resource server only an allow-list: the content and
 * conditional-request headers a resource server needs ({@link #FORWARDED_BY_DEFAULT}) plus those an administrator
 * adds; the caller's credentials for Conduit ({@code Authorization}, {@code Cookie}) never, nor {@code Host} or a
 * hop-by-hop header. From the resource server back, every header except the hop-by-hop ones and {@code Set-Cookie}
 * (a resource server's cookie would be stored for Conduit's origin, beside the console's session).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1">RFC 9110 section 7.6.1: Connection</a>
 */
public final class ProxyHeaders {

    /** Request headers forwarded without configuration (lower case). */
    public static final Set<String> FORWARDED_BY_DEFAULT = Set.of("accept", "accept-charset", "accept-encoding",
            "accept-language", "cache-control", "pragma", "content-type", "content-encoding", "content-language",
            "content-disposition", "content-range", "content-digest", "repr-digest", "digest", "if-match",
            "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "range", "prefer",
            "idempotency-key", "x-request-id", "x-correlation-id", "user-agent");

    /**
     * Never forwarded, whatever is configured: hop-by-hop headers (RFC 9110 section 7.6.1), the caller's credentials and
     * session, and what the HTTP client sets itself ({@code Host}, {@code Content-Length}, {@code Expect}).
     */
    public static final Set<String> NEVER_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate", "authorization",
            "cookie", "host", "content-length", "expect", "http2-settings");

    /** Response headers not returned: hop-by-hop ones, and the ones the servlet container sets itself. */
    private static final Set<String> NOT_RETURNED = Set.of(":status", "connection", "keep-alive", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "set-cookie", "set-cookie2",
            "content-length");

    /** The default allow-list alone. */
    public static final ProxyHeaders DEFAULT = new ProxyHeaders(List.of());

    private final Set<String> forwarded;

    /**
     * @param added header names an administrator forwards beyond the default list
     * @throws ConduitException {@code INVALID_CONFIGURATION} for a name that is not a header name or that is never
     *                          forwarded
     */
    public ProxyHeaders(Collection<String> added) {
        TreeSet<String> names = new TreeSet<>(FORWARDED_BY_DEFAULT);
        for (String name : added) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (lower.isEmpty()) {
                continue;
            }
            if (!HttpTokens.isToken(lower) || NEVER_FORWARDED.contains(lower)) {
                throw ConduitException.builder(ErrorCode.INVALID_CONFIGURATION, "conduit.proxy.forward-headers: '"
                        + name.strip() + "' " + (HttpTokens.isToken(lower) ? "is never forwarded (hop-by-hop, the "
                        + "caller's credentials, or set by the HTTP client)" : "is not a header name"))
                        .field("conduit.proxy.forward-headers").build();
            }
            names.add(lower);
        }
        this.forwarded = Set.copyOf(names);
    }

    /** The request headers forwarded, lower case. */
    public Set<String> forwarded() {
        return forwarded;
    }

    /**
     * The caller's headers that go to the resource server: those on the allow-list and not named in the caller's
     * {@code Connection} header; values with a line break or control character are dropped.
     *
     * @param names  the caller's header names
     * @param values a header's values by name
     */
    public Map<String, List<String>> request(Iterable<String> names,
            java.util.function.Function<String, List<String>> values) {
        Set<String> connectionOptions = connectionOptions(values.apply("Connection"));
        Map<String, List<String>> kept = new LinkedHashMap<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (forwarded.contains(lower) && !connectionOptions.contains(lower)) {
                List<String> list = values.apply(name).stream().filter(HttpTokens::isFieldValue).toList();
                if (!list.isEmpty()) {
                    kept.put(name, list);
                }
            }
        }
        return kept;
    }

    /** Passes each returned response header to {@code out}: all but hop-by-hop ones and {@code Set-Cookie}. */
    public static void response(Map<String, List<String>> headers, BiConsumer<String, String> out) {
        Set<String> connectionOptions = connectionOptions(headers.getOrDefault("connection", List.of()));
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_RETURNED.contains(lower) && !connectionOptions.contains(lower)) {
                values.forEach(value -> out.accept(name, value));
            }
        });
    }

    /** The header names a {@code Connection} header lists: hop-by-hop for this connection only. */
    private static Set<String> connectionOptions(List<String> connection) {
        if (connection == null || connection.isEmpty()) {
            return Set.of();
        }
        Set<String> options = new TreeSet<>();
        for (String value : connection) {
            for (String option : value.split(",")) {
                options.add(option.strip().toLowerCase(Locale.ROOT));
            }
        }
        return options;
    }
}
