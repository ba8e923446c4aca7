package dev.conduit.core.endpoint;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.json.StrictJson;
import dev.conduit.core.redaction.BodyPreview;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
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

    private final TokenResponse.Shape shape;
    private final Duration defaultLifetime;
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
        this.shape = new TokenResponse.Shape(tokenResponseKey, bearerTokenTypes, systemName);
        this.defaultLifetime = Objects.requireNonNull(defaultLifetime, "defaultLifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static TokenResponseParser forSystem(ConnectedSystem system, Clock clock) {
        return new TokenResponseParser(system.tokenRequest().tokenResponseKey(),
                system.lifecycle().defaultTokenLifetime(), system.tokenRequest().bearerTokenTypes(), system.name(),
                clock);
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
        JsonValue json = parseJson(response.bodyUnsafe());
        if (status >= 200 && status < 300) {
            return success(response, json, requested, sentSecrets);
        }
        Optional<ErrorResponse> error = ErrorResponse.parse(status, json, sentSecrets);
        if (error.isPresent()) {
            throw error.get().toException(shape.systemName());
        }
        if (status == 401) {
            throw failure(ErrorCode.INVALID_CLIENT,
                    "the token endpoint refused the client credentials (HTTP 401 without an OAuth error)", response,
                    sentSecrets).field("clientSecret").build();
        }
        throw invalid("the token endpoint answered HTTP " + status + " without an OAuth error: "
                + BodyPreview.of(response.bodyUnsafe(), json, sentSecrets), "tokenEndpoint");
    }

    /** Parses a success body (RFC 6749 section 5.1) into the tokens issued now. */
    TokenSet success(TokenHttpResponse response, JsonValue json, Scope requested, Collection<String> sentSecrets) {
        byte[] body = response.bodyUnsafe();
        if (!(json instanceof JsonObject)) {
            throw invalid("the token endpoint answered HTTP " + response.status() + " with " + describe(response, json)
                    + " instead of a JSON object" + (body.length == 0 ? "" : ": " + BodyPreview.of(body, json,
                    sentSecrets)), "tokenEndpoint");
        }
        if (!shape.hasToken(json)) {
            Optional<ErrorResponse> error = ErrorResponse.parse(response.status(), json, sentSecrets);
            if (error.isPresent()) {
                // some providers answer 200 with an error object
                throw error.get().toException(shape.systemName());
            }
            throw invalid("the token response has no '" + shape.tokenResponseKey() + "': " + BodyPreview.of(body, json,
                    sentSecrets), "tokenResponseKey");
        }
        return TokenResponse.parse(json, shape).toTokenSet(clock.instant(), defaultLifetime, requested);
    }

    /**
     * The body as JSON, or {@code null} when it is empty or not strict JSON: a member given twice (which two parsers
     * could read as two different tokens) or anything after the value makes it not JSON.
     */
    public static JsonValue parseJson(byte[] body) {
        return StrictJson.readOrNull(body);
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
        JsonValue json = parseJson(response.bodyUnsafe());
        Optional<OAuthError> error = ErrorResponse.parse(response.status(), json, sentSecrets)
                .map(ErrorResponse::error);
        String detail = error.map(e -> ": " + e)
                .orElseGet(() -> response.bodyUnsafe().length == 0 ? ""
                        : ": " + BodyPreview.of(response.bodyUnsafe(), json, sentSecrets));
        return ConduitException.builder(code, message + detail).oauthError(error.orElse(null)).system(shape.systemName());
    }

    private ConduitException invalid(String message, String field) {
        return ConduitException.builder(ErrorCode.INVALID_TOKEN_RESPONSE, message).field(field)
                .system(shape.systemName()).build();
    }

    private static String describe(TokenHttpResponse response, JsonValue json) {
        if (response.bodyUnsafe().length == 0) {
            return "an empty body";
        }
        if (json != null) {
            return "a JSON " + StrictJson.kind(json);
        }
        String type = response.header("Content-Type").map(OAuthError::strip).orElse("no content type");
        return "a body that is not valid JSON (" + type + ")";
    }
}
