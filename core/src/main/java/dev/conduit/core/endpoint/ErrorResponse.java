package dev.conduit.core.endpoint;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.core.json.StrictJson;
import dev.conduit.core.redaction.BodyPreview;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.Optional;

/**
 * An OAuth error answer of a token, revocation or introspection endpoint: the HTTP status and the {@code error},
 * {@code error_description} and {@code error_uri} members, scrubbed of every value the request carried.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 section 5.2</a>
 */
public record ErrorResponse(int status, OAuthError error) {

    /**
     * The error a body holds, or empty when it holds none (not a JSON object, or no non-blank string {@code error}).
     *
     * @param sentSecrets values the request carried that a server might echo back: masked in every member
     */
    public static Optional<ErrorResponse> parse(int status, JsonValue json, Collection<String> sentSecrets) {
        if (!(json instanceof JsonObject object)) {
            return Optional.empty();
        }
        String error = StrictJson.text(object.get("error"));
        if (error == null || error.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new ErrorResponse(status, new OAuthError(BodyPreview.scrub(error, sentSecrets),
                text(object.get("error_description"), sentSecrets), text(object.get("error_uri"), sentSecrets))));
    }

    /**
     * The failure the error means: {@code invalid_client} and {@code unauthorized_client} are {@code INVALID_CLIENT}
     * (field {@code clientSecret}), {@code invalid_scope} {@code INVALID_SCOPE} (field {@code scope}),
     * {@code invalid_grant} {@code INVALID_GRANT}, {@code access_denied} {@code ACCESS_DENIED}, any other
     * {@code TOKEN_ENDPOINT_ERROR}.
     */
    public ConduitException toException(String systemName) {
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

    private static String text(JsonValue value, Collection<String> sentSecrets) {
        String text = StrictJson.text(value);
        return text == null ? null : BodyPreview.scrub(text, sentSecrets);
    }
}
