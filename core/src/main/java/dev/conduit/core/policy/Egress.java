package dev.conduit.core.policy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the connections of Conduit's HTTP clients go: only to an address that the {@link EndpointPolicy} checked when
 * the connection was opened. A name whose DNS answer changes between an earlier check and the connection (DNS
 * rebinding) therefore cannot carry a request, with its client secret or token, to an address the policy refuses.
 *
 * <p>Java 17's HTTP client resolves names itself and has no resolver hook, but it asks its {@link ProxySelector} where
 * to connect for every request. This selector resolves the host once, checks every answer, and then:
 * <ul>
 *   <li>plain {@code http} (loopback only): names the checked address itself as the proxy. The client connects to
 *       exactly that address and sends the request in absolute form ({@code GET http://host:port/path}), which every
 *       HTTP/1.1 server must accept (RFC 9112, section 3.2.2); the {@code Host} header is unchanged;</li>
 *   <li>{@code https}: names this policy's in-process tunnel, to which the client sends {@code CONNECT host:port}. The
 *       tunnel connects to the address this selector just checked and relays bytes, so TLS, the server name and the
 *       certificate check stay end to end between client and server.</li>
 * </ul>
 * A refused answer is thrown from the client's {@code send} or {@code sendAsync} as {@code ENDPOINT_NOT_ALLOWED}, before
 * any connection opens. Clients that are not Conduit's own (typed Rest Clients) use {@link #tunnelAddress()} as their
 * HTTP proxy: the tunnel then resolves and checks the name itself.
 */
public final class Egress extends ProxySelector implements AutoCloseable {

    /**
     * Marks an answer the tunnel made up itself (a refusal, or a server it could not reach) rather than relayed: its
     * value is random per tunnel ({@link #answeredHere}), so a server cannot pass its own answer off as the tunnel's.
     */
    public static final String ANSWER_HEADER = "Conduit-Egress";

    private final EndpointPolicy policy;
    private final EgressTunnel tunnel;

    Egress(EndpointPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.tunnel = new EgressTunnel(policy);
    }

    /**
     * Where a request to {@code uri} connects: the checked address itself (http) or the tunnel (https).
     *
     * @throws dev.conduit.api.ConduitException {@code ENDPOINT_NOT_ALLOWED} when the host resolves now to an address the
     *                                          policy refuses (an https host that does not resolve goes to the tunnel,
     *                                          whose {@code 502} the client reports as a failed connection)
     */
    @Override
    public List<Proxy> select(URI uri) {
        InetAddress[] addresses = policy.connectionAddresses(uri);
        boolean https = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        if (!https) {
            // the policy allows plain http only to a loopback host that resolves
            return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(addresses[0], port)));
        }
        if (addresses.length > 0) {
            tunnel.pin(uri.getHost(), port, addresses);
        }
        return List.of(new Proxy(Proxy.Type.HTTP, tunnel.address()));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // the request itself fails with the same exception, and the caller reports it
    }

    /**
     * The loopback address of the in-process tunnel, started on demand and the same until {@link #close()}, for a
     * client to use as its HTTP proxy. It
     * accepts {@code CONNECT host:port} (the https rules) and absolute-form plain-http requests, kept alive (the http
     * rules), resolves and checks each host itself, and connects only to a checked address. A refusal is answered
     * {@code 403} with {@link #ANSWER_HEADER} and a JSON body {@code {"code":"ENDPOINT_NOT_ALLOWED","message":...,
     * "hint":...}}; a server it cannot reach, {@code 502} with {@code ENDPOINT_UNAVAILABLE}.
     */
    public InetSocketAddress tunnelAddress() {
        return tunnel.address();
    }

    /** Whether an {@link #ANSWER_HEADER} value came from this JVM's tunnel. */
    public boolean answeredHere(String headerValue) {
        return tunnel.isOwnNonce(headerValue);
    }

    /** How many connections the tunnel has relayed to a checked address since this policy was made. */
    public long tunnelledConnections() {
        return tunnel.relayedConnections();
    }

    /**
     * Stops the tunnel and ends the connections it relays: when the application stops. Clients built with
     * {@link #tunnelAddress()} as their proxy keep that address until then.
     */
    /** How many plain-http requests the tunnel has sent on to a checked address since this policy was made. */
    public long forwardedRequests() {
        return tunnel.forwardedRequests();
    }

    @Override
    public void close() {
        tunnel.close();
    }

    @Override
    public String toString() {
        return "Egress[" + policy + "]";
    }
}
