package dev.conduit.web.json;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.web.problem.Problem;
import dev.conduit.web.problem.ProblemException;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParsingException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body as one JSON object, at most {@code maxBytes} long: too long is a 413 problem, malformed or not an
 * object is 400 {@code INVALID_REQUEST} naming the position, never a parser stack trace.
 */
public final class RequestBodies {

    /** The default limit for request bodies: 256 KiB holds hundreds of connected systems. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    private final int maxBytes;

    public RequestBodies(int maxBytes) {
        if (maxBytes < 1024) {
            throw ConduitException.invalidField("conduit.api.max-request-bytes", "must be at least 1024");
        }
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** The body as a JSON object. */
    public JsonObject readObject(InputStream body) {
        if (body == null) {
            throw empty();
        }
        try (JsonReader reader = SharedJson.createReader(
                new InputStreamReader(new LimitedInputStream(body, maxBytes), StandardCharsets.UTF_8))) {
            JsonStructure value = reader.read();
            if (!(value instanceof JsonObject object)) {
                throw ConduitException.builder(ErrorCode.INVALID_REQUEST, "body: must be a JSON object")
                        .field("body").build();
            }
            return object;
        } catch (JsonParsingException e) {
            throw ConduitException.builder(ErrorCode.INVALID_REQUEST,
                    "body: is not valid JSON" + at(e.getLocation())).field("body").build();
        } catch (JsonException e) {
            if (e.getCause() instanceof TooLargeException) {
                throw tooLarge();
            }
            // an empty body, or bytes that are not UTF-8
            if (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("empty")) {
                throw empty();
            }
            throw ConduitException.builder(ErrorCode.INVALID_REQUEST, "body: is not valid UTF-8 JSON")
                    .field("body").build();
        }
    }

    /** The 413 answer for a body over the limit. */
    public ProblemException tooLarge() {
        return new ProblemException(Problem.of(ErrorCode.INVALID_REQUEST,
                "body: is larger than the limit of " + maxBytes + " bytes").withStatus(413).withField("body")
                .withHint("Send a smaller request: split an import into several, or raise conduit.api.max-request-bytes."));
    }

    private static ConduitException empty() {
        return ConduitException.builder(ErrorCode.INVALID_REQUEST, "body: a JSON object is required").field("body")
                .build();
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNumber() + ", column " + location.getColumnNumber() + ")";
    }

    /** Signals a body over the limit from inside the parser. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("request body over the limit");
        }
    }

    /** Stops reading once more than {@code limit} bytes arrived. */
    static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLargeException {
            count += n;
            if (count > limit) {
                throw new TooLargeException();
            }
        }
    }
}
