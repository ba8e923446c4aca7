package dev.conduit.core.endpoint;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.redaction.BodyPreview;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a token endpoint's answer strictly: a {@link TokenSet} for a valid success, else a {@link ConduitException}
 * with the {@link ErrorCode} the status and body call for. Never follows, never retries, never guesses.
 *
 * <ul>
 *   <li>3xx: {@code INVALID_TOKEN_RESPONSE} (redirects are not followed);</li>
 *   <li>429: {@code RATE_LIMITED} with the {@code Retry-After} wait; 5xx and 408: {@code ENDPOINT_UNAVAILABLE};</li>
 *   <li>a body over 64 KiB: {@code INVALID_TOKEN_RESPONSE};</li>
 *   <li>4xx (or 2xx) with an OAuth error: {@code invalid_client} and {@code unauthorized_client} are
 *       {@code INVALID_CLIENT}, {@code invalid_scope} {@code INVALID_SCOPE}, {@code invalid_grant} {@code INVALID_GRANT},
 *       {@code access_denied} {@code ACCESS_DENIED}, any other {@code TOKEN_ENDPOINT_ERROR}; 401 without one is
 *       {@code INVALID_CLIENT};</li>
 *   <li>2xx: a JSON object with the access token at the token response key, {@code token_type} Bearer (any case) and
 *       a sane {@code expires_in}, else {@code INVALID_TOKEN_RESPONSE}.</li>
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.1">RFC 6749 section 5.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 section 5.2</a>
 */
public final class TokenResponseParser {

    /** The longest lifetime believed: ten years, leap days included. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(3653);

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String tokenResponseKey;
    private final Duration defaultLifetime;
    private final String systemName;
    private final Set<String> bearerTokenTypes;
    private final Clock clock;

    /**
     * @param tokenResponseKey where the access token sits: a key or a dotted path ({@code data.token})
     * @param defaultLifetime  the lifetime of a token whose answer has no {@code expires_in}
     * @param systemName       named in errors; may be {@code null}
     * @param clock            the issue time of every token
     */
    public TokenResponseParser(String tokenResponseKey, Duration defaultLifetime, String systemName, Clock clock) {
        this(tokenResponseKey, defaultLifetime, Set.of(), systemName, clock);
    }

    /**
     * @param bearerTokenTypes other {@code token_type} values the provider uses for tokens that are sent as Bearer
     *                         tokens (Slack's user tokens say {@code user}); compared ignoring case
     */
    public TokenResponseParser(String tokenResponseKey, Duration defaultLifetime, Set<String> bearerTokenTypes,
            String systemName, Clock clock) {
        this.bearerTokenTypes = bearerTokenTypes.stream().map(t -> t.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.tokenResponseKey = Objects.requireNonNull(tokenResponseKey, "tokenResponseKey");
        this.defaultLifetime = Objects.requireNonNull(defaultLifetime, "defaultLifetime");
        this.systemName = systemName;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static TokenResponseParser forSystem(ConnectedSystem system, Clock clock) {
        return new TokenResponseParser(system.tokenRequest().tokenResponseKey(),
                system.lifecycle().defaultTokenLifetime(), system.tokenRequest().bearerTokenTypes(), system.name(),
                clock);
    }

    /** {@link #interpret(TokenHttpResponse, Scope, Collection)} with no secret values to keep out of messages. */
    public TokenSet interpret(TokenHttpResponse response, Scope requested) {
        return interpret(response, requested, List.of());
    }

    /**
     * Interprets any answer.
     *
     * @param requested   the scope the request asked for: the granted scope when the answer names none
     * @param sentSecrets values the request carried (client secret, refresh token...) that a server might echo back;
     *                    they are masked in every message
     */
    public TokenSet interpret(TokenHttpResponse response, Scope requested, Collection<String> sentSecrets) {
        int status = response.status();
        if (status >= 300 && status < 400) {
            throw redirected(response);
        }
        if (status == 429) {
            throw failure(ErrorCode.RATE_LIMITED, "the token endpoint is limiting requests (HTTP 429)", response,
                    sentSecrets).retryAfter(retryAfter(response).orElse(null)).build();
        }
        if (status >= 500 || status == 408) {
            throw failure(ErrorCode.ENDPOINT_UNAVAILABLE, "the token endpoint is unavailable (HTTP " + status + ")",
                    response, sentSecrets).retryAfter(retryAfter(response).orElse(null)).build();
        }
        if (response.tooLarge()) {
            throw invalid("the token endpoint answered HTTP " + status + " with a body over "
                    + TokenHttpResponse.MAX_BODY_BYTES / 1024 + " KiB; Conduit stopped reading. It starts: "
                    + BodyPreview.of(response.bodyUnsafe(), null, sentSecrets), "tokenEndpoint");
        }
        JsonNode json = parseJson(response.bodyUnsafe());
        if (status >= 200 && status < 300) {
            return success(response, json, requested, sentSecrets);
        }
        Optional<OAuthError> error = oauthError(json, sentSecrets);
        if (error.isPresent()) {
            throw oauthFailure(status, error.get());
        }
        if (status == 401) {
            throw failure(ErrorCode.INVALID_CLIENT,
                    "the token endpoint refused the client credentials (HTTP 401 without an OAuth error)", response,
                    sentSecrets).field("clientSecret").build();
        }
        throw invalid("the token endpoint answered HTTP " + status + " without an OAuth error: "
                + BodyPreview.of(response.bodyUnsafe(), json, sentSecrets), "tokenEndpoint");
    }

    /** Parses a success body (RFC 6749 section 5.1). */
    TokenSet success(TokenHttpResponse response, JsonNode json, Scope requested, Collection<String> sentSecrets) {
        byte[] body = response.bodyUnsafe();
        if (json == null || !json.isObject()) {
            throw invalid("the token endpoint answered HTTP " + response.status() + " with " + describe(response, json)
                    + " instead of a JSON object" + (body.length == 0 ? "" : ": " + BodyPreview.of(body, json,
                    sentSecrets)), "tokenEndpoint");
        }
        JsonNode tokenNode = at(json, tokenResponseKey);
        if (tokenNode == null || tokenNode.isNull()) {
            Optional<OAuthError> error = oauthError(json, sentSecrets);
            if (error.isPresent()) {
                // some providers answer 200 with an error object
                throw oauthFailure(response.status(), error.get());
            }
            throw invalid("the token response has no '" + tokenResponseKey + "': " + BodyPreview.of(body, json,
                    sentSecrets), "tokenResponseKey");
        }
        String accessToken = credential(tokenNode, tokenResponseKey);
        JsonNode context = members(json, tokenResponseKey);
        String tokenType = tokenType(member(json, context, "token_type"));
        Duration lifetime = lifetime(member(json, context, "expires_in"));
        Secret refreshToken = refreshToken(member(json, context, "refresh_token"));
        Scope scope = scope(member(json, context, "scope")).orElse(Scope.EMPTY);
        Instant issuedAt = clock.instant();
        return GrantedTokens.issued(new TokenSet(Secret.of(accessToken), tokenType, issuedAt, issuedAt.plus(lifetime),
                refreshToken, scope), requested);
    }

    /** The body as JSON, or {@code null} when it is empty or not JSON. */
    public static JsonNode parseJson(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException | RuntimeException e) {
            // JacksonException messages quote the input, which may hold a token: never pass them on
            return null;
        }
    }

    private static JsonNode at(JsonNode json, String path) {
        JsonNode node = json;
        for (String segment : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(segment);
        }
        return node;
    }

    /** The object holding the access token: for a nested key, its siblings describe it when the top level does not. */
    private static JsonNode members(JsonNode json, String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? json : at(json, path.substring(0, dot));
    }

    /**
     * A member describing the token: for a nested token its siblings first, since the top level may describe another
     * token (Slack answers with the bot's token_type and scope at the top and the user's next to authed_user's token).
     */
    private static JsonNode member(JsonNode top, JsonNode context, String name) {
        JsonNode value = context != null && context != top ? context.get(name) : null;
        if (value == null || value.isNull()) {
            value = top.get(name);
        }
        return value == null || value.isNull() ? null : value;
    }

    /** An access or refresh token: a non-empty string of VSCHAR (RFC 6749 appendix A.12, A.17). */
    private String credential(JsonNode node, String field) {
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw invalid("'" + field + "' in the token response must be a non-empty string, was "
                    + (node.isTextual() ? "empty" : "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT)),
                    "tokenResponseKey");
        }
        String value = node.textValue();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw invalid("'" + field + "' in the token response holds a character outside printable ASCII "
                        + "(position " + (i + 1) + ")", "tokenResponseKey");
            }
        }
        return value;
    }

    /**
     * Only Bearer tokens are used (RFC 6750); the type is case-insensitive (RFC 6749 section 5.1). A provider that names
     * its Bearer tokens otherwise (Slack: {@code user}) lists those names in the system's {@code bearerTokenTypes}.
     */
    private String tokenType(JsonNode node) {
        if (node == null) {
            throw invalid("the token response has no 'token_type' (RFC 6749 section 5.1 requires it)", "tokenEndpoint");
        }
        if (!node.isTextual()) {
            throw invalid("'token_type' in the token response must be a string, was " + describeNode(node),
                    "tokenEndpoint");
        }
        if (!node.textValue().equalsIgnoreCase("bearer")
                && !bearerTokenTypes.contains(node.textValue().toLowerCase(Locale.ROOT))) {
            String type = OAuthError.strip(node.textValue());
            throw invalid("the token type '" + (type.length() > 40 ? type.substring(0, 40) + "..." : type)
                    + "' is not supported: Conduit uses Bearer tokens only", "tokenEndpoint");
        }
        return "Bearer";
    }

    /** {@code expires_in}: a JSON integer or a string of digits, 1 second to 10 years; absent: the default. */
    private Duration lifetime(JsonNode node) {
        if (node == null) {
            return defaultLifetime;
        }
        long seconds;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            seconds = node.longValue();
        } else if (node.isTextual() && node.textValue().matches("[0-9]{1,12}")) {
            seconds = Long.parseLong(node.textValue());
        } else {
            throw invalid("'expires_in' in the token response must be a whole number of seconds, was "
                    + describeNode(node), "tokenEndpoint");
        }
        if (seconds <= 0 || seconds > MAX_LIFETIME.getSeconds()) {
            throw invalid("'expires_in' in the token response must be 1 to " + MAX_LIFETIME.getSeconds()
                    + " seconds, was " + seconds, "tokenEndpoint");
        }
        return Duration.ofSeconds(seconds);
    }

    private Secret refreshToken(JsonNode node) {
        if (node == null || node.isTextual() && node.textValue().isEmpty()) {
            return null;
        }
        return Secret.of(credential(node, "refresh_token"));
    }

    /** The granted scope: a space-delimited string (RFC 6749 section 3.3), or an array of scope tokens. */
    private Optional<Scope> scope(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        try {
            if (node.isTextual()) {
                return node.textValue().isBlank() ? Optional.empty() : Optional.of(Scope.parse(node.textValue()));
            }
            if (node.isArray()) {
                List<String> tokens = new ArrayList<>();
                for (JsonNode item : node) {
                    if (!item.isTextual()) {
                        throw new IllegalArgumentException("not a string");
                    }
                    tokens.add(item.textValue());
                }
                return tokens.isEmpty() ? Optional.empty() : Optional.of(new Scope(tokens));
            }
        } catch (ConduitException | IllegalArgumentException e) {
            throw invalid("'scope' in the token response is not a valid scope", "tokenEndpoint");
        }
        throw invalid("'scope' in the token response must be a string, was " + describeNode(node), "tokenEndpoint");
    }

    private static Optional<OAuthError> oauthError(JsonNode json, Collection<String> sentSecrets) {
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        JsonNode error = json.get("error");
        if (error == null || !error.isTextual() || error.textValue().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new OAuthError(BodyPreview.scrub(error.textValue(), sentSecrets),
                text(json.get("error_description"), sentSecrets), text(json.get("error_uri"), sentSecrets)));
    }

    private static String text(JsonNode node, Collection<String> sentSecrets) {
        return node != null && node.isTextual() ? BodyPreview.scrub(node.textValue(), sentSecrets) : null;
    }

    private ConduitException oauthFailure(int status, OAuthError error) {
        ErrorCode code = switch (error.error()) {
            case "invalid_client", "unauthorized_client" -> ErrorCode.INVALID_CLIENT;
            case "invalid_scope" -> ErrorCode.INVALID_SCOPE;
            case "invalid_grant" -> ErrorCode.INVALID_GRANT;
            case "access_denied" -> ErrorCode.ACCESS_DENIED;
            default -> ErrorCode.TOKEN_ENDPOINT_ERROR;
        };
        String field = switch (code) {
            case INVALID_CLIENT -> "clientSecret";
            case INVALID_SCOPE -> "scope";
            default -> null;
        };
        return ConduitException.builder(code, "the token endpoint answered HTTP " + status + " " + error)
                .oauthError(error).field(field).system(systemName).build();
    }

    private ConduitException redirected(TokenHttpResponse response) {
        String target = response.header("Location").map(TokenResponseParser::hostOf).orElse("no Location");
        return invalid("the token endpoint redirected (HTTP " + response.status() + " to " + target
                + "); Conduit does not follow redirects from a token endpoint: configure the final URL",
                "tokenEndpoint");
    }

    private static String hostOf(String location) {
        try {
            URI uri = new URI(location.strip());
            return uri.getHost() == null ? "a relative location" : OAuthError.strip(uri.getHost());
        } catch (java.net.URISyntaxException e) {
            return "an invalid location";
        }
    }

    private Optional<Duration> retryAfter(TokenHttpResponse response) {
        return RetryAfter.parse(response.header("Retry-After").orElse(null), clock);
    }

    private ConduitException.Builder failure(ErrorCode code, String message, TokenHttpResponse response,
            Collection<String> sentSecrets) {
        JsonNode json = parseJson(response.bodyUnsafe());
        Optional<OAuthError> error = oauthError(json, sentSecrets);
        String detail = error.map(e -> ": " + e)
                .orElseGet(() -> response.bodyUnsafe().length == 0 ? ""
                        : ": " + BodyPreview.of(response.bodyUnsafe(), json, sentSecrets));
        return ConduitException.builder(code, message + detail).oauthError(error.orElse(null)).system(systemName);
    }

    private ConduitException invalid(String message, String field) {
        return ConduitException.builder(ErrorCode.INVALID_TOKEN_RESPONSE, message).field(field).system(systemName)
                .build();
    }

    private static String describe(TokenHttpResponse response, JsonNode json) {
        if (response.bodyUnsafe().length == 0) {
            return "an empty body";
        }
        if (json != null) {
            return json.isArray() ? "a JSON array" : "a JSON " + json.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        String type = response.header("Content-Type").map(OAuthError::strip).orElse("no content type");
        return "a body that is not valid JSON (" + type + ")";
    }

    private static String describeNode(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().length() > 20 ? "a long string" : "\"" + OAuthError.strip(node.textValue()) + "\"";
        }
        if (node.isNumber()) {
            String n = node.asText();
            return n.length() > 20 ? "a number of " + n.length() + " characters" : n;
        }
        return "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
