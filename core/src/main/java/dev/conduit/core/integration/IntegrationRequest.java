package dev.conduit.core.integration;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A call to a connected system's resource server, relative to its integration base URL.
 *
 * @param method  an HTTP method: GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS
 * @param path    a path relative to the base URL, e.g. {@code orders/42}; never absolute, never climbing out
 * @param query   query parameters
 * @param headers request headers; {@code Authorization} is Conduit's to set
 * @param body    the request body, or {@code null}
 */
public record IntegrationRequest(String method, String path, Map<String, List<String>> query,
        Map<String, List<String>> headers, byte[] body) {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    /** Headers the HTTP client or Conduit own; a caller cannot set them. */
    private static final Set<String> RESTRICTED = Set.of("authorization", "host", "content-length", "connection",
            "upgrade", "expect", "transfer-encoding", "te", "trailer", "proxy-authorization");

    public IntegrationRequest {
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw invalid("method", "must be one of " + METHODS);
        }
        path = path == null ? "" : path;
        if (path.startsWith("/") || path.contains("://") || path.startsWith("\\")) {
            path = path.replaceFirst("^/+", "");
            if (path.contains("://")) {
                throw invalid("path", "must be relative to the system's base URL, not absolute");
            }
        }
        for (String segment : path.split("[/?#]")) {
            if (segment.equals("..") || segment.equalsIgnoreCase("%2e%2e")) {
                throw invalid("path", "must not climb out of the base URL with '..'");
            }
        }
        if (path.contains("#") || path.contains("?")) {
            throw invalid("path", "must not hold '?' or '#': pass query parameters in 'query'");
        }
        query = copy(query);
        headers = copy(headers);
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey();
            if (!isToken(name) || !header.getValue().stream().allMatch(IntegrationRequest::isFieldValue)) {
                throw invalidHeader(name);
            }
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw invalid("headers", "'" + name + "' is set by Conduit and cannot be sent");
            }
        }
        body = body == null ? null : body.clone();
    }

    public static IntegrationRequest get(String path) {
        return new IntegrationRequest("GET", path, Map.of(), Map.of(), null);
    }

    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /**
     * The error for a header HTTP does not allow: it names the header when the name itself is printable, and never
     * quotes the value, which may be a credential and would end up in logs.
     */
    static ConduitException invalidHeader(String name) {
        String shown = isToken(name) ? "'" + name + "'" : "a header whose name";
        return invalid("headers", shown + " has a name or value that HTTP does not allow (RFC 9110 section 5: a name of"
                + " letters, digits and !#$%&'*+-.^_`|~, a value of visible characters, spaces and tabs, no line breaks)");
    }

    private static boolean isToken(String name) {
        return HttpTokens.isToken(name);
    }

    private static boolean isFieldValue(String value) {
        return HttpTokens.isFieldValue(value);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> values) {
        if (values == null) {
            return Map.of();
        }
        values.forEach((k, v) -> {
            Objects.requireNonNull(k, "name");
            if (v == null || v.stream().anyMatch(s -> s == null || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0)) {
                throw invalid(isToken(k) ? k : "a parameter", "values must be present and free of line breaks");
            }
        });
        return Map.copyOf(values.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
    }

    private static ConduitException invalid(String field, String message) {
        return ConduitException.builder(ErrorCode.INVALID_REQUEST, field + ": " + message).field(field).build();
    }

    @Override
    public String toString() {
        return "IntegrationRequest[" + method + " " + path + "]";
    }
}
