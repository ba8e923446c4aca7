package dev.conduit.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that counts the TCP connections made to it and closes each at once: "did anything reach this host?" */
public final class ConnectionCounter implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();

    private ConnectionCounter(ServerSocket socket) {
        this.socket = socket;
        Thread thread = new Thread(this::accept, "connection-counter");
        thread.setDaemon(true);
        thread.start();
    }

    /** Listens on {@code address}, on a free port. */
    public static ConnectionCounter on(InetAddress address) {
        try {
            return new ConnectionCounter(new ServerSocket(0, 50, address));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int connections() {
        return accepted.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket ignored = socket.accept()) {
                accepted.incrementAndGet();
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
