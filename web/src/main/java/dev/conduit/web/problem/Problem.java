package dev.conduit.web.problem;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.web.json.SharedJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem document: {@code type}, {@code title}, {@code status}, {@code detail}, plus Conduit's extension
 * members {@code code} (the {@link ErrorCode}), {@code hint}, {@code field}, and the provider's {@code error},
 * {@code error_description} and {@code error_uri} when it sent them.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9457#section-3">RFC 9457 section 3</a>
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:conduit:problem:";

    private final int status;
    private final String title;
    private final ErrorCode code;
    private final String detail;
    private final String hint;
    private final String field;
    private final OAuthError oauthError;
    private final Map<String, JsonValue> extensions;

    private Problem(int status, String title, ErrorCode code, String detail, String hint, String field,
            OAuthError oauthError, Map<String, JsonValue> extensions) {
        this.status = status;
        this.title = title == null ? title(code) : title;
        this.code = Objects.requireNonNull(code, "code");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.hint = hint;
        this.field = field;
        this.oauthError = oauthError;
        this.extensions = Map.copyOf(extensions);
    }

    /** A problem with the code's own status and hint. */
    public static Problem of(ErrorCode code, String detail) {
        return new Problem(code.httpStatus(), null, code, detail, code.hint(), null, null, Map.of());
    }

    /** The problem a {@link ConduitException} stands for: its code, message, field and provider error. */
    public static Problem of(ConduitException e) {
        return new Problem(e.code().httpStatus(), null, e.code(), e.getMessage(), e.hint(),
                e.field().orElse(null), e.oauthError().orElse(null), Map.of());
    }

    public Problem withStatus(int newStatus) {
        return new Problem(newStatus, title, code, detail, hint, field, oauthError, extensions);
    }

    public Problem withField(String newField) {
        return new Problem(status, title, code, detail, hint, newField, oauthError, extensions);
    }

    public Problem withHint(String newHint) {
        return new Problem(status, title, code, detail, newHint, field, oauthError, extensions);
    }

    /** A copy with another title, where the code's own would mislead (e.g. a 401 that is not "Forbidden"). */
    public Problem withTitle(String newTitle) {
        return new Problem(status, newTitle, code, detail, hint, field, oauthError, extensions);
    }

    /** A copy with one more extension member; the standard and Conduit members cannot be replaced. */
    public Problem with(String member, JsonValue value) {
        Map<String, JsonValue> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(status, title, code, detail, hint, field, oauthError, more);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return detail;
    }

    public String hint() {
        return hint;
    }

    public String field() {
        return field;
    }

    public Map<String, JsonValue> extensions() {
        return extensions;
    }

    /** The problem document. */
    public JsonObject toJson() {
        JsonObjectBuilder json = SharedJson.createObjectBuilder();
        extensions.forEach(json::add);
        json.add("type", TYPE_PREFIX + code.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .add("title", title)
                .add("status", status)
                .add("detail", detail)
                .add("code", code.name());
        if (hint != null) {
            json.add("hint", hint);
        }
        if (field != null) {
            json.add("field", field);
        }
        addOAuthError(json, oauthError);
        return json.build();
    }

    /**
     * Adds what the provider said as {@code error}, {@code error_description} and {@code error_uri}, the members RFC 6749
     * section 5.2 gives them; nothing when {@code error} is {@code null}.
     */
    public static JsonObjectBuilder addOAuthError(JsonObjectBuilder json, OAuthError error) {
        if (error != null) {
            json.add("error", error.error());
            if (error.errorDescription() != null) {
                json.add("error_description", error.errorDescription());
            }
            if (error.errorUri() != null) {
                json.add("error_uri", error.errorUri());
            }
        }
        return json;
    }

    /** A short, human title per code, e.g. {@code INVALID_CLIENT} -> "Invalid client". */
    static String title(ErrorCode code) {
        String words = code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    @Override
    public String toString() {
        return "Problem[" + status + " " + code + ": " + detail + "]";
    }
}
