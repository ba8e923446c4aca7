package dev.conduit.core.endpoint;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a token endpoint answered, as far as Conduit read it.
 *
 * @param status     the HTTP status
 * @param headers    header values by case-insensitive name
 * @param body       the body, at most {@link #MAX_BODY_BYTES} bytes
 * @param tooLarge   true when the body was longer and reading stopped there
 */
public record TokenHttpResponse(int status, Map<String, List<String>> headers, byte[] body, boolean tooLarge) {

    /** The most of a token endpoint's answer Conduit reads: 64 KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public TokenHttpResponse {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A complete answer, e.g. for a unit test. */
    public static TokenHttpResponse of(int status, Map<String, List<String>> headers, byte[] body) {
        return new TokenHttpResponse(status, headers, body, false);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    byte[] bodyUnsafe() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenHttpResponse r && status == r.status && tooLarge == r.tooLarge
                && headers.equals(r.headers) && java.util.Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(status, headers, java.util.Arrays.hashCode(body), tooLarge);
    }

    /** Status and size only: the body may hold tokens. */
    @Override
    public String toString() {
        return "TokenHttpResponse[" + status + ", " + body.length + " bytes" + (tooLarge ? ", too large" : "") + "]";
    }
}
