package dev.conduit.api.system;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a token request carries beyond the grant's own parameters, and where the token sits in the answer: the
 * settings that adapt Conduit to a provider that is not quite standard.
 *
 * @param scope                the scope requested
 * @param includeScope         whether token requests carry the {@code scope} parameter
 * @param bodyFormat           how the request body is encoded
 * @param tokenResponseKey     where the access token sits in the response: a key, or a dotted path into nested objects
 * @param bearerTokenTypes     other {@code token_type} values the provider uses for tokens sent as Bearer tokens
 *                             (Slack's user tokens: {@code user}); lower case
 * @param extraQueryParameters added to the token endpoint URL; values may hold {@code ${variable}} templates
 * @param extraFormParameters  added to the request body
 * @param extraHeaders         added to the request
 * @param extraAuthorizationParameters added to the authorization request only (authorization code), e.g. Google's
 *                             {@code access_type=offline}; values may hold {@code ${variable}} templates of plain variables
 */
public record TokenRequest(Scope scope, boolean includeScope, BodyFormat bodyFormat, String tokenResponseKey,
        Set<String> bearerTokenTypes, Map<String, String> extraQueryParameters, Map<String, String> extraFormParameters,
        Map<String, String> extraHeaders, Map<String, String> extraAuthorizationParameters) {

    public TokenRequest {
        scope = Objects.requireNonNullElse(scope, Scope.EMPTY);
        extraQueryParameters = ordered(extraQueryParameters);
        extraFormParameters = ordered(extraFormParameters);
        extraHeaders = ordered(extraHeaders);
        extraAuthorizationParameters = ordered(extraAuthorizationParameters);
        bearerTokenTypes = bearerTokenTypes == null ? Set.of()
                : Collections.unmodifiableSet(new java.util.TreeSet<>(bearerTokenTypes));
    }

    // insertion order is what an administrator entered, and the order parameters go on the wire
    private static Map<String, String> ordered(Map<String, String> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
