package dev.conduit.core.endpoint;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.api.Secret;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.json.StrictJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A token endpoint's success answer, read strictly: an access token of printable ASCII at the system's token response
 * key, a Bearer {@code token_type}, an {@code expires_in} of 1 second to 10 years (a number or a string of digits), an
 * optional refresh token and scope (a space-delimited string or an array).
 *
 * @param accessToken  the access token
 * @param expiresIn    the lifetime the answer gives, else empty
 * @param refreshToken the refresh token, else empty (an empty string counts as none)
 * @param scope        the scope granted, else empty
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.1">RFC 6749 section 5.1</a>
 */
public record TokenResponse(Secret accessToken, Optional<Duration> expiresIn, Optional<Secret> refreshToken,
        Optional<Scope> scope) {

    /** The longest lifetime believed: ten years, leap days included. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(3653);

    public TokenResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(expiresIn, "expiresIn");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(scope, "scope");
    }

    /**
     * How one provider shapes its answers.
     *
     * @param tokenResponseKey where the access token sits: a key or a dotted path ({@code data.token})
     * @param bearerTokenTypes other {@code token_type} values the provider uses for Bearer tokens (Slack's user tokens
     *                         say {@code user}); compared ignoring case
     * @param systemName       named in errors; may be {@code null}
     */
    public record Shape(String tokenResponseKey, Set<String> bearerTokenTypes, String systemName) {

        public Shape {
            Objects.requireNonNull(tokenResponseKey, "tokenResponseKey");
            bearerTokenTypes = bearerTokenTypes.stream().map(t -> t.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        }

        /** Whether {@code json} has a value at the token response key. */
        boolean hasToken(JsonValue json) {
            return at(json, tokenResponseKey) != null;
        }
    }

    /**
     * Reads a success answer's JSON object.
     *
     * @throws ConduitException {@code INVALID_TOKEN_RESPONSE} naming the field to check ({@code tokenResponseKey} or
     *                          {@code tokenEndpoint}); never quoting a token
     */
    public static TokenResponse parse(JsonValue json, Shape shape) {
        Reader reader = new Reader(shape);
        if (!shape.hasToken(json)) {
            throw reader.invalid("the token response has no '" + shape.tokenResponseKey() + "'", "tokenResponseKey");
        }
        String key = shape.tokenResponseKey();
        JsonValue context = members(json, key);
        String accessToken = reader.credential(at(json, key), key);
        reader.tokenType(member(json, context, "token_type"));
        return new TokenResponse(Secret.of(accessToken), reader.lifetime(member(json, context, "expires_in")),
                reader.refreshToken(member(json, context, "refresh_token")),
                reader.scope(member(json, context, "scope")));
    }

    /**
     * The tokens issued at {@code issuedAt}: a lifetime left out is {@code defaultLifetime}, a scope left out is the
     * scope {@code requested} (RFC 6749 section 5.1).
     */
    public TokenSet toTokenSet(Instant issuedAt, Duration defaultLifetime, Scope requested) {
        return GrantedTokens.issued(new TokenSet(accessToken, "Bearer", issuedAt,
                issuedAt.plus(expiresIn.orElse(defaultLifetime)), refreshToken.orElse(null),
                scope.orElse(Scope.EMPTY)), requested);
    }

    /** Names what the answer holds, never a token. */
    @Override
    public String toString() {
        return "TokenResponse[expiresIn=" + expiresIn.map(Duration::toSeconds).orElse(null) + ", refreshToken="
                + (refreshToken.isPresent() ? "******" : "none") + ", scope=" + scope.orElse(null) + "]";
    }

    /** The value at a key or dotted path, else {@code null} (also when it is JSON {@code null}). */
    static JsonValue at(JsonValue json, String path) {
        JsonValue value = json;
        for (String segment : path.split("\\.")) {
            value = StrictJson.member(value, segment);
        }
        return value;
    }

    /** The object holding the access token: for a nested key, its siblings describe it when the top level does not. */
    private static JsonValue members(JsonValue json, String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? json : at(json, path.substring(0, dot));
    }

    /**
     * A member describing the token: for a nested token its siblings first, since the top level may describe another
     * token (Slack answers with the bot's token_type and scope at the top and the user's next to authed_user's token).
     */
    private static JsonValue member(JsonValue top, JsonValue context, String name) {
        JsonValue value = context != null && context != top ? StrictJson.member(context, name) : null;
        return value != null ? value : StrictJson.member(top, name);
    }

    /** Describes a member's value for a message without quoting anything long (it could be a token). */
    static String describe(JsonValue value) {
        String text = StrictJson.text(value);
        if (text != null) {
            return text.length() > 20 ? "a long string" : "\"" + OAuthError.strip(text) + "\"";
        }
        if (value.getValueType() == JsonValue.ValueType.NUMBER) {
            String n = value.toString();
            return n.length() > 20 ? "a number of " + n.length() + " characters" : n;
        }
        return "a JSON " + StrictJson.kind(value);
    }

    /** The member rules, each refusing with {@code INVALID_TOKEN_RESPONSE}. */
    private record Reader(Shape shape) {

        /** An access or refresh token: a non-empty string of VSCHAR (RFC 6749 appendix A.12, A.17). */
        String credential(JsonValue node, String field) {
            String value = StrictJson.text(node);
            if (value == null || value.isEmpty()) {
                throw invalid("'" + field + "' in the token response must be a non-empty string, was "
                        + (value != null ? "empty" : "a JSON " + StrictJson.kind(node)), "tokenResponseKey");
            }
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
         * Only Bearer tokens are used (RFC 6750); the type is case-insensitive (RFC 6749 section 5.1). A provider that
         * names its Bearer tokens otherwise (Slack: {@code user}) lists those names in the system's
         * {@code bearerTokenTypes}.
         */
        void tokenType(JsonValue node) {
            if (node == null) {
                throw invalid("the token response has no 'token_type' (RFC 6749 section 5.1 requires it)",
                        "tokenEndpoint");
            }
            String text = StrictJson.text(node);
            if (text == null) {
                throw invalid("'token_type' in the token response must be a string, was " + describe(node),
                        "tokenEndpoint");
            }
            if (!text.equalsIgnoreCase("bearer") && !shape.bearerTokenTypes().contains(text.toLowerCase(Locale.ROOT))) {
                String type = OAuthError.strip(text);
                throw invalid("the token type '" + (type.length() > 40 ? type.substring(0, 40) + "..." : type)
                        + "' is not supported: Conduit uses Bearer tokens only", "tokenEndpoint");
            }
        }

        /** {@code expires_in}: a JSON integer or a string of digits, 1 second to 10 years. */
        Optional<Duration> lifetime(JsonValue node) {
            if (node == null) {
                return Optional.empty();
            }
            Optional<Long> number = StrictJson.wholeNumber(node);
            String text = StrictJson.text(node);
            long seconds;
            if (number.isPresent()) {
                seconds = number.get();
            } else if (text != null && text.matches("[0-9]{1,12}")) {
                seconds = Long.parseLong(text);
            } else {
                throw invalid("'expires_in' in the token response must be a whole number of seconds, was "
                        + describe(node), "tokenEndpoint");
            }
            if (seconds <= 0 || seconds > MAX_LIFETIME.getSeconds()) {
                throw invalid("'expires_in' in the token response must be 1 to " + MAX_LIFETIME.getSeconds()
                        + " seconds, was " + seconds, "tokenEndpoint");
            }
            return Optional.of(Duration.ofSeconds(seconds));
        }

        Optional<Secret> refreshToken(JsonValue node) {
            if (node == null || "".equals(StrictJson.text(node))) {
                return Optional.empty();
            }
            return Optional.of(Secret.of(credential(node, "refresh_token")));
        }

        /** The granted scope: a space-delimited string (RFC 6749 section 3.3), or an array of scope tokens. */
        Optional<Scope> scope(JsonValue node) {
            if (node == null) {
                return Optional.empty();
            }
            try {
                String text = StrictJson.text(node);
                if (text != null) {
                    return text.isBlank() ? Optional.empty() : Optional.of(Scope.parse(text));
                }
                if (node instanceof JsonArray array) {
                    List<String> tokens = new ArrayList<>();
                    for (JsonValue item : array) {
                        String token = StrictJson.text(item);
                        if (token == null) {
                            throw new IllegalArgumentException("not a string");
                        }
                        tokens.add(token);
                    }
                    return tokens.isEmpty() ? Optional.empty() : Optional.of(new Scope(tokens));
                }
            } catch (ConduitException | IllegalArgumentException e) {
                throw invalid("'scope' in the token response is not a valid scope", "tokenEndpoint");
            }
            throw invalid("'scope' in the token response must be a string, was " + describe(node), "tokenEndpoint");
        }

        ConduitException invalid(String message, String field) {
            return ConduitException.builder(ErrorCode.INVALID_TOKEN_RESPONSE, message).field(field)
                    .system(shape.systemName()).build();
        }
    }
}
