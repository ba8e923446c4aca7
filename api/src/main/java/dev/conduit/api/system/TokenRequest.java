package dev.conduit.api.system;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a token request carries beyond the grant's own parameters, and where the token sits in the answer: the
 * settings that adapt Conduit to a provider that is not quite standard.
 *
 * @param scope                the scope requested
 * @param includeScope         whether token requests carry the {@code scope} parameter
 * @param bodyFormat           how the request body is encoded
 * @param tokenResponseKey     where the access token sits in the response: a key, or a dotted path into nested objects
 * @param extraQueryParameters added to the token endpoint URL; values may hold {@code ${variable}} templates
 * @param extraFormParameters  added to the request body
 * @param extraHeaders         added to the request
 */
public record TokenRequest(Scope scope, boolean includeScope, BodyFormat bodyFormat, String tokenResponseKey,
        Map<String, String> extraQueryParameters, Map<String, String> extraFormParameters,
        Map<String, String> extraHeaders) {

    public TokenRequest {
        scope = Objects.requireNonNullElse(scope, Scope.EMPTY);
        extraQueryParameters = ordered(extraQueryParameters);
        extraFormParameters = ordered(extraFormParameters);
        extraHeaders = ordered(extraHeaders);
    }

    // insertion order is what an administrator entered, and the order parameters go on the wire
    private static Map<String, String> ordered(Map<String, String> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
