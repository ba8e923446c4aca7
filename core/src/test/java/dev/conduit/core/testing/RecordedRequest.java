package dev.conduit.core.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request the {@link HostileTokenServer} received, as it arrived.
 *
 * @param method  e.g. {@code POST}
 * @param path    the decoded path, e.g. {@code /token}
 * @param query   the raw query, or {@code null}
 * @param headers header values by case-insensitive name
 * @param body    the raw body
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
        byte[] body) {

    public RecordedRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        headers = Collections.unmodifiableMap(copy);
        body = body.clone();
    }

    /** The first value of a header, if sent. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The query parameters, decoded as application/x-www-form-urlencoded. */
    public Map<String, List<String>> queryParameters() {
        return decodeForm(query == null ? "" : query);
    }

    public Optional<String> queryParameter(String name) {
        return first(queryParameters(), name);
    }

    /** The body's parameters when the body is application/x-www-form-urlencoded, else empty. */
    public Map<String, List<String>> formParameters() {
        boolean form = header("Content-Type").map(t -> t.toLowerCase(Locale.ROOT)
                .startsWith("application/x-www-form-urlencoded")).orElse(false);
        return form ? decodeForm(bodyText()) : Map.of();
    }

    public Optional<String> formParameter(String name) {
        return first(formParameters(), name);
    }

    /**
     * The client credentials of an {@code Authorization: Basic} header, decoded as RFC 6749 section 2.3.1 says a server
     * does: base64, split at the first ':', then form-url-decode both parts. Empty when absent or undecodable.
     */
    public Optional<BasicCredentials> basicCredentials() {
        Optional<String> header = header("Authorization");
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.get().substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new BasicCredentials(
                    URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            // not base64, or not form-urlencoded: a server refuses such credentials
            return Optional.empty();
        }
    }

    /** Client id and secret as a server decoded them from HTTP Basic. */
    public record BasicCredentials(String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "BasicCredentials[" + clientId + ", ******]";
        }
    }

    /** Decodes application/x-www-form-urlencoded text. */
    public static Map<String, List<String>> decodeForm(String text) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return result;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            result.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return result;
    }

    private static Optional<String> first(Map<String, List<String>> values, String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** Method and path only: recorded requests hold credentials. */
    @Override
    public String toString() {
        return "RecordedRequest[" + method + " " + path + "]";
    }
}
