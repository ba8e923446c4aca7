package dev.conduit.core.policy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.json.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * a checked address and relays bytes. It never reads or keeps what it relays: an https tunnel carries TLS it cannot
 * read, and a plain-http request's head is parsed only to route it.
 *
 * <p>Blocking sockets, two threads per open connection (one each way), from a cached pool that keeps no relay thread
 * once idle. The listening address stays the same from the first use until {@link #close()}: typed Rest Clients are
 * built with it as their proxy and keep it.
 */
final class EgressTunnel {

    private static final Logger LOG = Logger.getLogger(EgressTunnel.class.getName());

    /** How long {@link Egress}'s answer is used for the connection that follows it; the connection opens at once. */
    private static final long PIN_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_PINS = 10_000;
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int HEAD_TIMEOUT_MILLIS = 10_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** After one direction ended, how long the other may still run before both sockets are closed. */
    private static final long HALF_CLOSED_SECONDS = 60;
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private record Pin(InetAddress[] addresses, long expiresAt) {
    }

    /** A request or response head as received, and the bytes read after it. */
    private record Head(String startLine, List<String> fields, byte[] rest) {
    }

    private final EndpointPolicy policy;
    private final String nonce = newNonce();
    private final Map<String, Pin> pins = new ConcurrentHashMap<>();
    private final AtomicLong relayed = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool(EgressTunnel::daemon);
    private final java.util.Set<Socket> connections = ConcurrentHashMap.newKeySet();
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
                throw ConduitException.builder(ErrorCode.ENDPOINT_UNAVAILABLE, "the egress tunnel could not listen "
                        + "on loopback (" + e.getClass().getSimpleName() + ")").cause(e).build();
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
            try {
                threads.execute(() -> serve(client));
            } catch (RuntimeException e) {
                closeQuietly(client);
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        connections.add(client);
        try {
            client.setTcpNoDelay(true);
            client.setSoTimeout(HEAD_TIMEOUT_MILLIS);
            Head request = readHead(client.getInputStream());
            String[] line = request == null ? new String[0] : request.startLine().split(" ");
            if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
                answer(client, 400, "Bad Request", ErrorCode.INVALID_REQUEST, "the egress tunnel accepts only "
                        + "CONNECT host:port and absolute-form http requests");
                return;
            }
            boolean tunnel = line[0].equals("CONNECT");
            URI target = target(tunnel, line[1]);
            if (target == null) {
                answer(client, 400, "Bad Request", ErrorCode.INVALID_REQUEST, "the egress tunnel accepts only "
                        + "CONNECT host:port and absolute-form http requests");
                return;
            }
            int port = target.getPort() != -1 ? target.getPort() : 80;
            upstream = connect(target.getHost(), port, addresses(tunnel, target, port));
            connections.add(upstream);
            relayed.incrementAndGet();
            client.setSoTimeout(0);
            if (tunnel) {
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                upstream.getOutputStream().write(request.rest());
                relay(client, upstream, false);
            } else {
                upstream.getOutputStream().write(forwardedHead(line, target, request.fields()));
                upstream.getOutputStream().write(request.rest());
                relay(client, upstream, true);
            }
        } catch (ConduitException e) {
            boolean refused = e.code() == ErrorCode.ENDPOINT_NOT_ALLOWED;
            if (refused) {
                LOG.log(Level.WARNING, "Egress tunnel refused a connection: {0}", e.getMessage());
            }
            answer(client, refused ? 403 : 502, refused ? "Forbidden" : "Bad Gateway", e.code(), e.getMessage());
        } catch (IOException e) {
            LOG.log(Level.FINE, "Egress tunnel: a connection ended ({0})", e.getClass().getSimpleName());
        } finally {
            closeQuietly(client);
            connections.remove(client);
            if (upstream != null) {
                closeQuietly(upstream);
                connections.remove(upstream);
            }
        }
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

    /**
     * The head sent on for a plain-http request: origin form, without the hop-by-hop fields meant for a proxy, and
     * {@code Connection: close}, since this connection carries one request.
     */
    private static byte[] forwardedHead(String[] line, URI target, List<String> fields) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        StringBuilder head = new StringBuilder(line[0]).append(' ').append(path);
        if (target.getRawQuery() != null) {
            head.append('?').append(target.getRawQuery());
        }
        head.append(' ').append(line[2]).append("\r\n");
        appendWithoutConnectionFields(head, fields);
        return head.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void appendWithoutConnectionFields(StringBuilder head, List<String> fields) {
        for (String field : fields) {
            String name = field.substring(0, Math.max(0, field.indexOf(':'))).strip().toLowerCase(Locale.ROOT);
            if (!name.equals("connection") && !name.equals("keep-alive") && !name.startsWith("proxy-")) {
                head.append(field).append("\r\n");
            }
        }
    }

    /**
     * Copies both ways until both end. For a plain-http request ({@code oneRequest}) the answer's head is given
     * {@code Connection: close}, so that the client does not send a second request on this connection.
     */
    private void relay(Socket client, Socket upstream, boolean oneRequest) throws IOException {
        Future<?> outbound = threads.submit(() -> copy(client, upstream));
        try {
            if (oneRequest) {
                InputStream answer = upstream.getInputStream();
                Head head;
                do {
                    head = readHead(answer);
                    if (head == null) {
                        return;
                    }
                    StringBuilder rewritten = new StringBuilder(head.startLine()).append("\r\n");
                    appendWithoutConnectionFields(rewritten, head.fields());
                    rewritten.append("Connection: close\r\n\r\n");
                    client.getOutputStream().write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
                    client.getOutputStream().write(head.rest());
                } while (head.startLine().matches("HTTP/1\\.\\d 1\\d\\d.*") && head.rest().length == 0);
            }
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

    /** Reads a head up to its empty line; {@code null} at the end of the stream or when it is too long. */
    private static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (received.size() <= MAX_HEAD_BYTES) {
            int read = in.read(buffer);
            if (read == -1) {
                return null;
            }
            received.write(buffer, 0, read);
            byte[] bytes = received.toByteArray();
            int end = indexOf(bytes, HEAD_END);
            if (end >= 0) {
                String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
                List<String> fields = new ArrayList<>(List.of(lines).subList(1, lines.length));
                byte[] rest = java.util.Arrays.copyOfRange(bytes, end + HEAD_END.length, bytes.length);
                return new Head(lines[0], fields, rest);
            }
        }
        return null;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i <= bytes.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
