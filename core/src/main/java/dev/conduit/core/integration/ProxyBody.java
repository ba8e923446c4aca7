package dev.conduit.core.integration;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The body of a {@link ProxyRequest}: none, a small one kept in memory so that the call can be sent again after a token
 * rejection, or a stream that is read once while it is sent.
 */
public sealed interface ProxyBody {

    /** Whether the body can be sent a second time (after a token rejection). */
    boolean replayable();

    /** What the HTTP client sends. A {@link Streamed} body can be sent only once. */
    HttpRequest.BodyPublisher publisher();

    /** No body. */
    ProxyBody NONE = new None();

    /**
     * Reads at most {@code replayLimit + 1} bytes of {@code in} to decide: a body that ends within {@code replayLimit}
     * bytes is kept for a retry; a longer one is streamed, the bytes read so far first, and never held whole.
     *
     * @param in            the caller's body
     * @param contentLength the length the caller declared, or {@code -1} (chunked)
     * @param replayLimit   the largest body kept for a retry; {@code 0} streams every body
     */
    static ProxyBody read(InputStream in, long contentLength, int replayLimit) {
        Objects.requireNonNull(in, "in");
        if (contentLength == 0) {
            return NONE;
        }
        if (contentLength > replayLimit) {
            return new Streamed(in, contentLength);
        }
        try {
            byte[] head = in.readNBytes(replayLimit + 1);
            if (head.length <= replayLimit) {
                return head.length == 0 && contentLength < 0 ? NONE : new Replayable(head);
            }
            return new Streamed(new SequenceInputStream(new ByteArrayInputStream(head), in), contentLength);
        } catch (IOException e) {
            throw new UncheckedIOException("the caller's request body could not be read", e);
        }
    }

    /** No body: always replayable. */
    record None() implements ProxyBody {
        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public HttpRequest.BodyPublisher publisher() {
            return HttpRequest.BodyPublishers.noBody();
        }
    }

    /** A body small enough to keep for the retry. */
    record Replayable(byte[] bytes) implements ProxyBody {
        public Replayable {
            bytes = bytes.clone();
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public HttpRequest.BodyPublisher publisher() {
            return HttpRequest.BodyPublishers.ofByteArray(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Replayable r && Arrays.equals(bytes, r.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Replayable[" + bytes.length + " bytes]";
        }
    }

    /** A body read once, as it is sent, with its declared length ({@code -1}: sent chunked). */
    record Streamed(InputStream in, long contentLength) implements ProxyBody {
        public Streamed {
            Objects.requireNonNull(in, "in");
        }

        @Override
        public boolean replayable() {
            return false;
        }

        @Override
        public HttpRequest.BodyPublisher publisher() {
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> in);
            return contentLength < 0 ? stream : HttpRequest.BodyPublishers.fromPublisher(stream, contentLength);
        }
    }
}
