package dev.conduit.core.endpoint;

import dev.conduit.api.ConduitException;
import dev.conduit.core.policy.EndpointPolicy;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * How long Conduit waits on a token endpoint.
 *
 * @param connectTimeout the most a TCP (and TLS) connection may take to open; default 5 seconds
 * @param readTimeout    the most one request may take from sending it to the last byte of the answer; default 10
 *                       seconds. A server that never answers costs at most this long.
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout) {

    /** Declared before {@link #DEFAULT}, whose construction reads it. */
    private static final Duration MAX = Duration.ofMinutes(5);

    public static final HttpSettings DEFAULT = new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(10));

    public HttpSettings {
        positive("connectTimeout", connectTimeout);
        positive("readTimeout", readTimeout);
    }

    public HttpSettings withConnectTimeout(Duration value) {
        return new HttpSettings(value, readTimeout);
    }

    public HttpSettings withReadTimeout(Duration value) {
        return new HttpSettings(connectTimeout, value);
    }

    /**
     * A client with these settings that never follows redirects and speaks HTTP/1.1: token endpoints all speak it, and
     * it spares the h2c upgrade dance some servers stumble on. It connects only to addresses {@code policy} checks when
     * each connection opens ({@link EndpointPolicy#egress()}). Build one and share it: it holds the connection pool.
     */
    public HttpClient newHttpClient(EndpointPolicy policy) {
        return HttpClient.newBuilder()
                .proxy(policy.egress())
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    private static void positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero() || value.compareTo(MAX) > 0) {
            throw ConduitException.invalidField(field, "must be positive and at most " + MAX + ", was " + value);
        }
    }
}
