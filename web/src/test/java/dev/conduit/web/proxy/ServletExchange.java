package dev.conduit.web.proxy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One request to the proxy filter as a servlet container hands it over, and the answer it wrote: real streams, the
 * raw request URI, headers with repeated names. The answer's body is kept when small, and always counted and hashed,
 * so that a large answer can pass without being held.
 */
final class ServletExchange {

    static final String BASE = "http://conduit.test";

    final HttpServletRequest request;
    final HttpServletResponse response;

    int status = 200;
    final List<Map.Entry<String, String>> headers = new ArrayList<>();
    boolean committed;
    long bodyLength;
    private final MessageDigest sha256 = LoopbackResourceServer.sha256();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final StringBuilder written = new StringBuilder();

    ServletExchange(String method, String rawUri, String query, List<Map.Entry<String, String>> requestHeaders,
            InputStream body, long contentLength, String user) {
        Principal principal = () -> user;
        ServletInputStream in = new ServletInputStream() {
            @Override
            public int read() throws IOException {
                return body.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return body.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> rawUri;
                    case "getContextPath" -> "";
                    case "getQueryString" -> query;
                    case "getRequestURL" -> new StringBuffer(BASE + rawUri);
                    case "getUserPrincipal" -> principal;
                    case "getRemoteUser" -> user;
                    case "getContentLengthLong" -> contentLength;
                    case "getContentLength" -> (int) Math.min(Integer.MAX_VALUE, contentLength);
                    case "getInputStream" -> in;
                    case "getHeader" -> requestHeaders.stream().filter(h -> h.getKey().equalsIgnoreCase((String) args[0]))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                    case "getHeaders" -> Collections.enumeration(requestHeaders.stream()
                            .filter(h -> h.getKey().equalsIgnoreCase((String) args[0])).map(Map.Entry::getValue).toList());
                    case "getHeaderNames" -> {
                        LinkedHashSet<String> names = new LinkedHashSet<>();
                        requestHeaders.forEach(h -> names.add(h.getKey()));
                        yield Collections.enumeration(names);
                    }
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                committed = true;
                sha256.update(b, off, len);
                if (bodyLength + len <= LoopbackResourceServer.KEPT_BODY_BYTES) {
                    kept.write(b, off, len);
                }
                bodyLength += len;
            }
        };
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) throws IOException {
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                sink.write(b, off, len);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "setStatus" -> {
                        status = (Integer) args[0];
                        yield null;
                    }
                    case "addHeader" -> {
                        headers.add(Map.entry((String) args[0], (String) args[1]));
                        yield null;
                    }
                    case "setHeader" -> {
                        headers.removeIf(h -> h.getKey().equalsIgnoreCase((String) args[0]));
                        headers.add(Map.entry((String) args[0], (String) args[1]));
                        yield null;
                    }
                    case "setContentLengthLong" -> {
                        headers.add(Map.entry("Content-Length", Long.toString((Long) args[0])));
                        yield null;
                    }
                    case "setContentType" -> {
                        headers.add(Map.entry("Content-Type", (String) args[0]));
                        yield null;
                    }
                    case "setCharacterEncoding" -> null;
                    case "isCommitted" -> committed;
                    case "reset" -> {
                        headers.clear();
                        status = 200;
                        yield null;
                    }
                    case "getOutputStream" -> out;
                    case "getWriter" -> new PrintWriter(new java.io.Writer() {
                        @Override
                        public void write(char[] c, int off, int len) {
                            written.append(c, off, len);
                        }

                        @Override
                        public void flush() {
                        }

                        @Override
                        public void close() {
                        }
                    }, true);
                    default -> throw new UnsupportedOperationException("response." + m.getName());
                });
    }

    /** A request without a body. */
    static ServletExchange of(String method, String rawUri, String query, String... headerPairs) {
        return new ServletExchange(method, rawUri, query, pairs(headerPairs), new ByteArrayInputStream(new byte[0]),
                -1, "alice");
    }

    /** A request with a body of known length. */
    static ServletExchange withBody(String method, String rawUri, byte[] body, String... headerPairs) {
        return new ServletExchange(method, rawUri, null, pairs(headerPairs), new ByteArrayInputStream(body),
                body.length, "alice");
    }

    static List<Map.Entry<String, String>> pairs(String... headerPairs) {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            list.add(Map.entry(headerPairs[i], headerPairs[i + 1]));
        }
        return list;
    }

    /** The answer's body, when it was small enough to keep. */
    byte[] body() {
        return kept.toByteArray();
    }

    String bodySha256() {
        try {
            return LoopbackResourceServer.hex(((MessageDigest) sha256.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The problem document written, if the answer was one. */
    JsonObject problem() {
        return Json.createReader(new StringReader(written.toString())).readObject();
    }

    List<String> header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    String text() {
        return new String(body(), StandardCharsets.UTF_8);
    }
}
