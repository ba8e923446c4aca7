package dev.conduit.core.integration;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A request passed through to a connected system's resource server as it came: the method, the path below the
 * integration base URL and the query still percent-encoded as the caller sent them, the headers the
 * {@link ProxyHeaders allow-list} let through, and the body.
 *
 * <p>The path is checked here, before any token is used: a segment {@code .} or {@code ..} (also percent-encoded), an
 * empty segment ({@code //host} or {@code a//b}), an encoded slash or backslash ({@code %2F}, {@code %5C}), a raw
 * backslash, a character that is not allowed in a URI path, or a malformed escape could make the resource server, or
 * a proxy in front of it, resolve the path outside the base URL.
 *
 * @param method  the HTTP method, any RFC 9110 token (e.g. {@code GET}, {@code PROPFIND})
 * @param path    the path below the base URL, percent-encoded, without a leading {@code /}; empty for the base itself
 * @param rawQuery the query as sent, percent-encoded, or {@code null}
 * @param headers the headers to forward (already filtered)
 * @param body    the body
 */
public record ProxyRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
        ProxyBody body) {

    public ProxyRequest {
        Objects.requireNonNull(method, "method");
        if (!HttpTokens.isToken(method)) {
            throw ConduitException.builder(ErrorCode.INVALID_REQUEST, "method: is not an HTTP method")
                    .field("method").build();
        }
        path = checkPath(path == null ? "" : path);
        if (rawQuery != null && !isUriText(rawQuery, true)) {
            throw ConduitException.builder(ErrorCode.INVALID_REQUEST,
                    "query: holds characters a URI query does not allow; percent-encode them").field("query").build();
        }
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** Refuses a path that could leave the base URL, naming what is wrong (never the whole path, which may hold ids). */
    static String checkPath(String path) {
        if (path.isEmpty()) {
            return path;
        }
        if (path.startsWith("/")) {
            throw outside("starts with an empty segment ('//' after 'proxy'), which a server can read as another host");
        }
        if (!isUriText(path, false)) {
            throw outside("holds a character a URI path does not allow, or a malformed %-escape: percent-encode it");
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            throw outside("holds an encoded '/' or '\\' (%2F, %5C), which a server may decode into a path separator");
        }
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i].toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (segment.equals(".") || segment.equals("..")) {
                throw outside("holds a '" + segment + "' segment, which climbs or stays outside the base URL's path");
            }
            if (segment.isEmpty() && i < segments.length - 1) {
                throw outside("holds an empty segment ('//')");
            }
        }
        return path;
    }

    /**
     * Whether {@code text} is made only of RFC 3986 path (or query) characters and well-formed %-escapes; a backslash,
     * a space or a control character is not.
     */
    private static boolean isUriText(String text, boolean query) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                        || Character.digit(text.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0 || (query && c == '?'))) {
                return false;
            }
        }
        return true;
    }

    private static ConduitException outside(String what) {
        return ConduitException.builder(ErrorCode.PATH_OUTSIDE_BASE_URL, "path: the path after 'proxy/' " + what)
                .field("path").build();
    }

    @Override
    public String toString() {
        return "ProxyRequest[" + method + "]";
    }
}
