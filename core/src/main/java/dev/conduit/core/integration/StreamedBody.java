package dev.conduit.core.integration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A resource server's answer body as an {@link InputStream}, read as it arrives. It asks the HTTP client for the next
 * buffers only once the previous ones are read, so one answer holds a few buffers at most, whatever its size. A read
 * that waits longer than {@code maxPause} for the next bytes fails and cancels the exchange, so a server that stalls
 * mid-body cannot hold the caller's thread.
 */
final class StreamedBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {

    /** Thrown by {@link #read} when the resource server sends nothing for longer than the pause allowed. */
    static final class StalledException extends IOException {
        private static final long serialVersionUID = 1L;

        StalledException(String message) {
            super(message);
        }
    }

    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final long maxPauseNanos;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> buffers;
    private ByteBuffer current;
    private boolean ended;
    private boolean closed;

    StreamedBody(Duration maxPause) {
        this.maxPauseNanos = maxPause.toNanos();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrived.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        arrived.add(throwable);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        ByteBuffer buffer = next();
        if (buffer == null) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    /** The buffer to read from next, waiting for the HTTP client; {@code null} at the end of the body. */
    private ByteBuffer next() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (buffers != null && buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (ended || closed) {
                return null;
            }
            if (buffers != null) {
                buffers = null;
                subscription.request(1); // only now: at most one list of buffers waits here at a time
            }
            Object item;
            try {
                item = arrived.poll(maxPauseNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IOException("interrupted while reading the resource server's answer", e);
            }
            if (item == null) {
                close();
                throw new StalledException("the resource server sent nothing for "
                        + Duration.ofNanos(maxPauseNanos).toMillis() + " ms in the middle of its answer");
            }
            if (item == END) {
                ended = true;
                return null;
            }
            if (item instanceof Throwable failure) {
                ended = true;
                throw failure instanceof IOException io ? io
                        : new IOException("the resource server's answer broke off: " + failure.getClass().getSimpleName(),
                                failure);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> list = (List<ByteBuffer>) item;
            buffers = list.iterator();
        }
        return current;
    }

    /** Stops reading: the rest of the body is not fetched, and the connection is given up. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Flow.Subscription s = subscription;
            if (s != null && !ended) {
                s.cancel();
            }
        }
    }
}
