package dev.conduit.core.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads HTTP/1.1 messages (RFC 9112) off one connection for the egress tunnel: a head, then a body copied through
 * unchanged in its own framing, so that one connection can carry one message after another. Bodies are streamed, never
 * held: only a head is kept, and at most {@link #MAX_HEAD_BYTES} of it.
 */
final class Http1Input {

    static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_LINE_BYTES = 8 * 1024;

    /** A message's start line and header fields as received ({@code name: value}, in order). */
    record Head(String startLine, List<String> fields) {

        /** Every value of the field {@code name}, comma-separated lists split, trimmed. */
        List<String> values(String name) {
            List<String> values = new ArrayList<>();
            for (String field : fields) {
                int colon = field.indexOf(':');
                if (colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    for (String value : field.substring(colon + 1).split(",")) {
                        if (!value.isBlank()) {
                            values.add(value.strip());
                        }
                    }
                }
            }
            return values;
        }

        boolean has(String name, String token) {
            return values(name).stream().anyMatch(value -> value.equalsIgnoreCase(token));
        }
    }

    /** How a message's body ends (RFC 9112, section 6.3). */
    record Framing(Kind kind, long length) {

        enum Kind { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

        static final Framing NONE = new Framing(Kind.NONE, 0);

        /**
         * A request's body: chunked, a Content-Length, or none.
         *
         * @throws ProtocolException a framing two parties could read differently (both fields, another coding, lengths
         *                           that disagree): refused rather than guessed, as a request smuggled past a check
         *                           would be
         */
        static Framing ofRequest(Head head) throws ProtocolException {
            List<String> codings = head.values("Transfer-Encoding");
            List<String> lengths = head.values("Content-Length");
            if (!codings.isEmpty()) {
                if (!lengths.isEmpty() || codings.size() != 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
                    throw new ProtocolException("a request body framed other than by chunked alone or one length");
                }
                return new Framing(Kind.CHUNKED, -1);
            }
            return lengths.isEmpty() ? NONE : new Framing(Kind.LENGTH, length(lengths));
        }

        /** A response's body, which also depends on the request's method and the status. */
        static Framing ofResponse(String method, int status, Head head) throws ProtocolException {
            if (method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
                return NONE;
            }
            List<String> codings = head.values("Transfer-Encoding");
            if (!codings.isEmpty()) {
                boolean chunked = codings.get(codings.size() - 1).equalsIgnoreCase("chunked");
                return chunked ? new Framing(Kind.CHUNKED, -1) : new Framing(Kind.UNTIL_CLOSE, -1);
            }
            List<String> lengths = head.values("Content-Length");
            return lengths.isEmpty() ? new Framing(Kind.UNTIL_CLOSE, -1) : new Framing(Kind.LENGTH, length(lengths));
        }

        private static long length(List<String> values) throws ProtocolException {
            String first = values.get(0);
            for (String value : values) {
                if (!value.equals(first) || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(
                        c -> c >= '0' && c <= '9')) {
                    throw new ProtocolException("a Content-Length that is not one number");
                }
            }
            return Long.parseLong(first);
        }
    }

    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    Http1Input(InputStream in) {
        this.in = in;
    }

    /**
     * The next head, or {@code null} when the connection ends before its first byte.
     *
     * @throws ProtocolException a head longer than {@link #MAX_HEAD_BYTES}, or a connection that ends inside it
     */
    Head readHead() throws IOException {
        if (!fill()) {
            return null;
        }
        String startLine = readLine();
        int total = startLine.length();
        List<String> fields = new ArrayList<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            total += line.length() + 2;
            if (total > MAX_HEAD_BYTES) {
                throw new ProtocolException("a head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            fields.add(line);
        }
        return new Head(startLine, List.copyOf(fields));
    }

    /** Copies a body framed as {@code framing} to {@code out}, as it came. */
    void copyBody(Framing framing, OutputStream out) throws IOException {
        switch (framing.kind()) {
            case NONE -> { }
            case LENGTH -> copy(framing.length(), out);
            case CHUNKED -> copyChunked(out);
            case UNTIL_CLOSE -> {
                while (fill()) {
                    out.write(buffer, start, end - start);
                    start = end;
                }
            }
        }
    }

    /** Writes what was read past the last head and not yet consumed: for a tunnel, the first bytes it relays. */
    void drainTo(OutputStream out) throws IOException {
        out.write(buffer, start, end - start);
        start = end;
    }

    private void copy(long length, OutputStream out) throws IOException {
        long left = length;
        while (left > 0) {
            if (!fill()) {
                throw new ProtocolException("the connection ended inside a body");
            }
            int n = (int) Math.min(left, end - start);
            out.write(buffer, start, n);
            start += n;
            left -= n;
        }
    }

    /** Chunks, their extensions and the trailer, passed through as they are (RFC 9112, section 7.1). */
    private void copyChunked(OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine();
            writeLine(sizeLine, out);
            int extension = sizeLine.indexOf(';');
            String size = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).strip();
            long length;
            try {
                length = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("a chunk size that is not a hexadecimal number");
            }
            if (length < 0) {
                throw new ProtocolException("a negative chunk size");
            }
            if (length == 0) {
                for (String trailer = readLine(); ; trailer = readLine()) {
                    writeLine(trailer, out);
                    if (trailer.isEmpty()) {
                        return;
                    }
                }
            }
            copy(length, out);
            String end = readLine();
            if (!end.isEmpty()) {
                throw new ProtocolException("a chunk longer than its size");
            }
            writeLine(end, out);
        }
    }

    private static void writeLine(String line, OutputStream out) throws IOException {
        out.write(line.getBytes(StandardCharsets.ISO_8859_1));
        out.write('\r');
        out.write('\n');
    }

    /** One line without its CRLF (a bare LF is accepted, as RFC 9112 allows a recipient to). */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!fill()) {
                throw new ProtocolException("the connection ended inside a head or chunk line");
            }
            while (start < end) {
                byte b = buffer[start++];
                if (b == '\n') {
                    int length = line.length();
                    if (length > 0 && line.charAt(length - 1) == '\r') {
                        line.setLength(length - 1);
                    }
                    return line.toString();
                }
                line.append((char) (b & 0xFF));
                if (line.length() > MAX_LINE_BYTES) {
                    throw new ProtocolException("a line longer than " + MAX_LINE_BYTES + " bytes");
                }
            }
        }
    }

    /** Whether bytes are buffered, reading more when none are; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (start < end) {
            return true;
        }
        int read = in.read(buffer);
        if (read <= 0) {
            start = end = 0;
            return false;
        }
        start = 0;
        end = read;
        return true;
    }

    /** The status code of a response head. */
    static int status(Head response) throws ProtocolException {
        String[] parts = response.startLine().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            throw new ProtocolException("not an HTTP/1 status line");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ProtocolException("not an HTTP/1 status line");
        }
    }

    /** The lower-case names of the fields {@code head}'s Connection field lists, which end at the next hop. */
    static List<String> connectionOptions(Head head) {
        return head.values("Connection").stream().map(value -> value.toLowerCase(Locale.ROOT)).toList();
    }
}
