package dev.conduit.bench.floor;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * What both floors share: one JDK HTTP client (HTTP/1.1, no redirects, as Conduit's), the resource server's base URL
 * and the fixed bearer token they send.
 */
final class Floors {

    /** The resource server's base URL: environment variable {@code FLOOR_TARGET}, else the benchmark's default. */
    static final String TARGET = System.getenv().getOrDefault("FLOOR_TARGET", "http://127.0.0.1:9288/api");
    static final String AUTHORIZATION = "Bearer bench-token-floor";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    /** Not passed on in either direction (RFC 9110 section 7.6.1), or set by the client or the container. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate", "authorization",
            "cookie", "host", "content-length", "expect", ":status", "set-cookie");

    private Floors() {
    }

    static boolean hopByHop(String name) {
        return HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT));
    }
}
