package dev.conduit.core.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An https server on loopback with a certificate for one host name, made with {@code keytool} at start, and a client
 * TLS context that trusts that certificate alone: a request that reaches it kept TLS and the server name end to end.
 * Every path answers {@code 200 "hello <path and query>"}; the server counts requests and keeps the last
 * {@code Authorization} header.
 */
public final class LoopbackTlsServer implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService threads;
    private final SSLContext clientTls;
    private final String host;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> lastAuthorization = new AtomicReference<>();
    private final java.util.Queue<Integer> nextStatuses = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private LoopbackTlsServer(String host, SSLContext serverTls, SSLContext clientTls) throws java.io.IOException {
        this.host = host;
        this.clientTls = clientTls;
        this.threads = Executors.newFixedThreadPool(4);
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            lastAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            Integer scripted = nextStatuses.poll();
            int status = scripted == null ? 200 : scripted;
            byte[] body = ("hello " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Starts a server whose certificate names {@code host}; the key store is written to {@code directory}. */
    public static LoopbackTlsServer start(Path directory, String host) throws Exception {
        char[] password = "changeit".toCharArray();
        Path keyStore = directory.resolve(host + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + host, "-ext", "SAN=dns:" + host, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool could not make a certificate for " + host);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
        return new LoopbackTlsServer(host, serverTls, clientTls);
    }

    /** {@code https://<host>:<port><pathAndQuery>}: the name the certificate holds, the port on loopback. */
    public URI uri(String pathAndQuery) {
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + pathAndQuery);
    }

    /** A client TLS context that trusts this server's certificate and no other. */
    public SSLContext clientTls() {
        return clientTls;
    }

    /** Answers the next requests with these statuses (same body), then 200 again. */
    public LoopbackTlsServer answerNext(int... statuses) {
        for (int status : statuses) {
            nextStatuses.add(status);
        }
        return this;
    }

    public int requestCount() {
        return requests.get();
    }

    /** The {@code Authorization} header of the last request, if it had one. */
    public Optional<String> lastAuthorization() {
        return Optional.ofNullable(lastAuthorization.get());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
