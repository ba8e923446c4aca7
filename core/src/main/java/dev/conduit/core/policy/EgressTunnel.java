package dev.conduit.core.policy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.json.StrictJson;
import dev.conduit.core.policy.Http1Input.Framing;
import dev.conduit.core.policy.Http1Input.Head;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-process HTTP proxy behind {@link Egress}: listens on loopback, and for each connection resolves the
 * requested host (or takes the answer {@link Egress} checked a moment earlier), checks it with the policy, connects to
 * a checked address and relays. It never keeps what it relays: an https tunnel carries TLS it cannot read, and of a
 * plain-http message it reads the head and the body's framing ({@link Http1Input}), streaming the body through.
 *
 * <p>Plain http keeps connections alive: a client's connection carries one request after another, each checked, and
 * the connection to the server is kept while they go to the same host. A request framed two ways (both a length and
 * chunked), which the server could read differently from the tunnel, is refused with {@code 400}.
 *
 * <p>Blocking sockets: one thread per plain-http connection, two per https tunnel (one each way), from a cached pool
 * that keeps no thread once idle. The listening address stays the same from the first use until {@link #close()}:
 * typed Rest Clients are built with it as their proxy and keep it.
 */
final class EgressTunnel {

    private static final Logger LOG = Logger.getLogger(EgressTunnel.class.getName());

    /** How long {@link Egress}'s answer is used for the connection that follows it; the connection opens at once. */
    private static final long PIN_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_PINS = 10_000;
    private static final int HEAD_TIMEOUT_MILLIS = 10_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** After one direction ended, how long the other may still run before both sockets are closed. */
    private static final long HALF_CLOSED_SECONDS = 60;
    /** How long a plain-http connection may wait for the client's next request. */
    private static final int IDLE_MILLIS = 60_000;
    /** How long a forwarded request may wait for a byte of its server's answer. */
    private static final int UPSTREAM_READ_TIMEOUT_MILLIS = 300_000;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "te", "upgrade", "expect");

    private record Pin(InetAddress[] addresses, long expiresAt) {
    }

    private final EndpointPolicy policy;
    private final String nonce = newNonce();
    private final Map<String, Pin> pins = new ConcurrentHashMap<>();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool(EgressTunnel::daemon);
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private ServerSocket listening; // guarded by this
    private volatile InetSocketAddress address; // written under this

    EgressTunnel(EndpointPolicy policy) {
        this.policy = policy;
    }

    /** The listening address, opened when it is not; without a lock once open (every https request asks). */
    InetSocketAddress address() {
        InetSocketAddress open = address;
        return open != null ? open : listen();
    }

    private synchronized InetSocketAddress listen() {
        if (listening == null) {
            try {
                ServerSocket socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
                listening = socket;
                address = (InetSocketAddress) socket.getLocalSocketAddress();
                threads.execute(() -> accept(socket));
            } catch (IOException e) {
                // this server's own failure, not the provider's: a CONDUIT-scope code, so that no system is disabled
                throw ConduitException.builder(ErrorCode.INTERNAL_ERROR, "the egress tunnel could not listen on "
                        + "loopback (" + e.getClass().getSimpleName() + ")").cause(e).build();
            }
        }
        return address;
    }

    /** The addresses {@link Egress} checked for {@code host:port}, for the connection it is about to open. */
    void pin(String host, int port, InetAddress[] addresses) {
        if (pins.size() >= MAX_PINS) {
            long now = System.nanoTime();
            pins.values().removeIf(pin -> pin.expiresAt() - now < 0);
            if (pins.size() >= MAX_PINS) {
                pins.clear();
            }
        }
        pins.put(key(host, port), new Pin(addresses.clone(), System.nanoTime() + PIN_NANOS));
    }

    boolean isOwnNonce(String value) {
        return value != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
                nonce.getBytes(StandardCharsets.US_ASCII));
    }

    long relayedConnections() {
        return relayed.get();
    }

    long forwardedRequests() {
        return forwarded.get();
    }

    /** Stops listening and ends every relayed connection; a later {@link #address()} listens again, elsewhere. */
    synchronized void close() {
        if (listening != null) {
            closeQuietly(listening);
            listening = null;
            address = null;
        }
        connections.forEach(EgressTunnel::closeQuietly);
    }

    private void accept(ServerSocket socket) {
        while (true) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
                LOG.log(Level.WARNING, "Egress tunnel: accepting a connection failed ({0})",
                        e.getClass().getSimpleName());
                continue;
            }
            if (socket.isClosed()) {
                // accepted while close() ran: a blocked accept can still return one connection after the close
                closeQuietly(client);
                return;
            }
            try {
                threads.execute(() -> serve(client));
            } catch (RuntimeException e) {
                closeQuietly(client);
            }
        }
    }

    private void serve(Socket client) {
        connections.add(client);
        try {
            client.setTcpNoDelay(true);
            client.setSoTimeout(HEAD_TIMEOUT_MILLIS);
            Http1Input fromClient = new Http1Input(client.getInputStream());
            Head request = fromClient.readHead();
            String[] line = requestLine(request);
            if (line == null) {
                answer(client, 400, "Bad Request", ErrorCode.INVALID_REQUEST, "the egress tunnel accepts only "
                        + "CONNECT host:port and absolute-form http requests");
            } else if (line[0].equals("CONNECT")) {
                tunnel(client, fromClient, line[1]);
            } else {
                forward(client, fromClient, request);
            }
        } catch (ConduitException e) {
            refuse(client, e);
        } catch (IOException e) {
            LOG.log(Level.FINE, "Egress tunnel: a connection ended ({0})", e.getClass().getSimpleName());
        } finally {
            closeQuietly(client);
            connections.remove(client);
        }
    }

    /** Answers a refusal ({@code 403}) or a server that could not be reached ({@code 502}), then the connection ends. */
    private void refuse(Socket client, ConduitException e) {
        boolean refused = e.code() == ErrorCode.ENDPOINT_NOT_ALLOWED;
        if (refused) {
            LOG.log(Level.WARNING, "Egress tunnel refused a connection: {0}", e.getMessage());
        }
        answer(client, refused ? 403 : 502, refused ? "Forbidden" : "Bad Gateway", e.code(), e.getMessage());
    }

    /** The method, target and version of a request head, or {@code null} when it is not an HTTP/1 request line. */
    private static String[] requestLine(Head request) {
        String[] line = request == null ? new String[0] : request.startLine().split(" ");
        return line.length == 3 && line[2].startsWith("HTTP/1.") ? line : null;
    }

    /** {@code CONNECT host:port}: connects to a checked address, answers 200 and relays bytes both ways. */
    private void tunnel(Socket client, Http1Input fromClient, String authority) throws IOException {
        URI target = target(true, authority);
        if (target == null) {
            answer(client, 400, "Bad Request", ErrorCode.INVALID_REQUEST, "CONNECT needs host:port");
            return;
        }
        Socket upstream = open(target, addresses(true, target, target.getPort()));
        try {
            client.setSoTimeout(0);
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            fromClient.drainTo(upstream.getOutputStream());
            relay(client, upstream);
        } finally {
            closeQuietly(upstream);
            connections.remove(upstream);
        }
    }

    /**
     * Absolute-form plain-http requests, one after another on the client's connection: each is checked, sent on in
     * origin form to a checked address of its host (the connection to it kept while requests go to the same host), and
     * its answer relayed, bodies streamed in their own framing. The connection ends when either side closes it, after
     * an answer whose end only the server's close marks, or after {@link #IDLE_MILLIS} without a request.
     */
    private void forward(Socket client, Http1Input fromClient, Head first) throws IOException {
        OutputStream toClient = new BufferedOutputStream(client.getOutputStream(), 16 * 1024);
        Socket upstream = null;
        String upstreamKey = null;
        Http1Input fromUpstream = null;
        OutputStream toUpstream = null;
        try {
            for (Head request = first; request != null; request = nextRequest(client, fromClient)) {
                String[] line = requestLine(request);
                URI target = line == null || line[0].equals("CONNECT") ? null : target(false, line[1]);
                Framing body;
                try {
                    body = Framing.ofRequest(request);
                } catch (ProtocolException e) {
                    body = null;
                }
                if (target == null || body == null) {
                    answer(client, 400, "Bad Request", ErrorCode.INVALID_REQUEST, "the egress tunnel accepts "
                            + "absolute-form http requests with one unambiguous body framing on this connection");
                    return;
                }
                int port = target.getPort() != -1 ? target.getPort() : 80;
                String key = key(target.getHost(), port);
                if (!key.equals(upstreamKey)) {
                    if (upstream != null) {
                        closeQuietly(upstream);
                        connections.remove(upstream);
                    }
                    upstream = open(target, policy.connectionAddresses(target));
                    upstream.setSoTimeout(UPSTREAM_READ_TIMEOUT_MILLIS);
                    upstreamKey = key;
                    fromUpstream = new Http1Input(upstream.getInputStream());
                    toUpstream = new BufferedOutputStream(upstream.getOutputStream(), 16 * 1024);
                }
                client.setSoTimeout(0);
                forwarded.incrementAndGet();
                if (!exchange(line, target, request, body, fromClient, toClient, toUpstream, fromUpstream)) {
                    return;
                }
            }
        } finally {
            if (upstream != null) {
                closeQuietly(upstream);
                connections.remove(upstream);
            }
        }
    }

    /** The client's next request, or {@code null} when it closes the connection or leaves it idle too long. */
    private static Head nextRequest(Socket client, Http1Input fromClient) throws IOException {
        client.setSoTimeout(IDLE_MILLIS);
        try {
            return fromClient.readHead();
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /**
     * Sends one request on and relays its answer. {@code Expect: 100-continue} is answered here, so the client sends
     * its body at once and the server never has to. Returns whether the connection can carry another request.
     */
    private static boolean exchange(String[] line, URI target, Head request, Framing body, Http1Input fromClient,
            OutputStream toClient, OutputStream toUpstream, Http1Input fromUpstream) throws IOException {
        boolean clientCloses = request.has("Connection", "close") || line[2].equals("HTTP/1.0");
        boolean continued = request.has("Expect", "100-continue");
        if (continued) {
            toClient.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            toClient.flush();
        }
        toUpstream.write(forwardedHead(line, target, request, clientCloses));
        fromClient.copyBody(body, toUpstream);
        toUpstream.flush();
        Head response;
        int status;
        do {
            response = fromUpstream.readHead();
            if (response == null) {
                throw ConduitException.builder(ErrorCode.ENDPOINT_UNAVAILABLE, target.getHost() + " closed the "
                        + "connection without an answer").build();
            }
            status = Http1Input.status(response);
            if (status == 101) {
                throw new ProtocolException("a protocol switch, which no forwarded request asked for");
            }
            if (status < 200 && !(continued && status == 100)) {
                toClient.write(head(response.startLine(), response, false));
            }
        } while (status < 200);
        Framing answer = Framing.ofResponse(line[0], status, response);
        boolean serverCloses = response.has("Connection", "close") || answer.kind() == Framing.Kind.UNTIL_CLOSE
                || response.startLine().startsWith("HTTP/1.0") && !response.has("Connection", "keep-alive");
        boolean last = clientCloses || serverCloses;
        toClient.write(head(response.startLine(), response, last));
        fromUpstream.copyBody(answer, toClient);
        toClient.flush();
        return !last;
    }

    /** The URL the request names: {@code https://host:port/} for CONNECT, the absolute http URL otherwise. */
    private static URI target(boolean tunnel, String requestTarget) {
        try {
            URI uri = tunnel ? new URI("https://" + requestTarget + "/") : new URI(requestTarget);
            boolean valid = uri.getHost() != null && uri.getRawUserInfo() == null
                    && (tunnel ? uri.getPort() != -1 : "http".equalsIgnoreCase(uri.getScheme()));
            return valid ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The addresses {@link Egress} checked a moment ago for this CONNECT, else the host resolved and checked now. */
    private InetAddress[] addresses(boolean tunnel, URI target, int port) {
        if (tunnel) {
            Pin pin = pins.get(key(target.getHost(), port));
            if (pin != null && pin.expiresAt() - System.nanoTime() > 0) {
                return pin.addresses();
            }
        }
        return policy.connectionAddresses(target);
    }

    /** A connection to one of {@code addresses}, the first that answers, tracked for {@link #close()}. */
    private Socket open(URI target, InetAddress[] addresses) {
        int port = target.getPort() != -1 ? target.getPort() : 80;
        Socket upstream = connect(target.getHost(), port, addresses);
        connections.add(upstream);
        relayed.incrementAndGet();
        return upstream;
    }

    private static Socket connect(String host, int port, InetAddress[] addresses) {
        if (addresses.length == 0) {
            throw ConduitException.builder(ErrorCode.ENDPOINT_UNAVAILABLE, host + " does not resolve").build();
        }
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
        }
        throw ConduitException.builder(ErrorCode.ENDPOINT_UNAVAILABLE, host + ":" + port + " could not be reached ("
                + (last == null ? "no address" : last.getClass().getSimpleName()) + ")").cause(last).build();
    }

    /** The request head sent on: origin form, without the fields that end at this hop, nor {@code Expect}. */
    private static byte[] forwardedHead(String[] line, URI target, Head request, boolean close) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
        return head(line[0] + " " + path + query + " " + line[2], request, close);
    }

    /**
     * A head with its start line and the fields of {@code message} that go beyond this hop: not {@code Connection},
     * those it names, {@code Keep-Alive}, {@code Proxy-*}, {@code TE}, {@code Upgrade} or {@code Expect}; then
     * {@code Connection: close} when this is the connection's last message.
     */
    private static byte[] head(String startLine, Head message, boolean close) {
        List<String> named = Http1Input.connectionOptions(message);
        StringBuilder head = new StringBuilder(startLine).append("\r\n");
        for (String field : message.fields()) {
            String name = field.substring(0, Math.max(0, field.indexOf(':'))).strip().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.startsWith("proxy-") && !named.contains(name)) {
                head.append(field).append("\r\n");
            }
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Copies both ways until both directions end (an https tunnel's bytes, which it cannot read). */
    private void relay(Socket client, Socket upstream) {
        Future<?> outbound = threads.submit(() -> copy(client, upstream));
        try {
            copy(upstream, client);
            outbound.get(HALF_CLOSED_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            outbound.cancel(true);
        }
    }

    /** Copies {@code from}'s input to {@code to}'s output until the end, then half-closes {@code to}. */
    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) != -1) {
                out.write(buffer, 0, read);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed: closing both ends the other direction too
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** An answer made up here, marked with this JVM's nonce; the message names hosts and addresses, never a path. */
    private void answer(Socket client, int status, String reason, ErrorCode code, String message) {
        byte[] body = StrictJson.builders().createObjectBuilder().add("code", code.name()).add("message", message)
                .add("hint", code.hint()).build().toString().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n" + Egress.ANSWER_HEADER + ": " + nonce + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try {
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            // the client left first
        }
    }

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "conduit-egress");
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }

    private static String newNonce() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
