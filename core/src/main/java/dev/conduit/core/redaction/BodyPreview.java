package dev.conduit.core.redaction;

import dev.conduit.core.json.StrictJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A short, redacted excerpt of a response body for error messages: at most {@value #MAX_LENGTH} characters, no
 * control characters, and no value that could be a credential (values of keys such as {@code access_token},
 * {@code refresh_token}, {@code secret}, {@code password}; long opaque strings; any value the request carried that is
 * secret).
 */
public final class BodyPreview {

    public static final int MAX_LENGTH = 200;
    static final String REDACTED = "***";

    /** Key names whose values are credentials; {@code token_type} and {@code expires_in} are kept, they explain errors. */
    private static final Pattern SENSITIVE_KEY = Pattern.compile(
            "(?i).*(token|secret|password|passwd|assertion|credential|api[_-]?key|session|cookie|jwt).*"
                    + "|code|device_code|authorization_code|code_verifier");
    private static final Pattern KEPT_KEY = Pattern.compile("(?i)token_type|expires_in|error|error_description|error_uri");
    /** Strings of this shape and length are likely tokens or keys, whatever key they sit under. */
    private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9._~+/=-]{24,}");
    // possessive quantifiers: a long string must not recurse once per character
    private static final Pattern JSON_MEMBER = Pattern.compile(
            "(\"([^\"\\\\]{1,100})\"\\s*:\\s*)(\"(?:[^\"\\\\]++|\\\\.)*+\"?|[^,}\\]\\s]++)");
    private static final Pattern FORM_MEMBER = Pattern.compile("(?<=^|[&?\\s;,])([A-Za-z0-9_.-]{1,100})=([^&\\s;,]*)");

    private BodyPreview() {
    }

    /**
     * The preview of a body.
     *
     * @param body        the bytes received (perhaps only the first 64 KiB)
     * @param parsed      the body as JSON when it parsed, else {@code null}
     * @param sentSecrets values the request carried that must not come back in a message (client secret...)
     */
    public static String of(byte[] body, JsonValue parsed, Collection<String> sentSecrets) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String text;
        if (parsed instanceof JsonObject || parsed instanceof JsonArray) {
            text = redactJson(parsed).toString();
        } else {
            // decode a little more than needed: the redactions below only shorten the text
            int take = Math.min(body.length, MAX_LENGTH * 20);
            text = redactText(new String(body, 0, take, StandardCharsets.UTF_8));
        }
        text = scrub(text, sentSecrets);
        return truncate(printable(text));
    }

    /** Replaces every occurrence of the given values (and their form-encoded spelling) with a mask. */
    public static String scrub(String text, Collection<String> secrets) {
        String result = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                result = result.replace(secret, REDACTED);
                String encoded = java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
                if (!encoded.equals(secret)) {
                    result = result.replace(encoded, REDACTED);
                }
            }
        }
        return result;
    }

    /** A redacted copy: JSON-P values are immutable, so the parsed body itself is left as it was. */
    private static JsonValue redactJson(JsonValue value) {
        if (value instanceof JsonObject object) {
            JsonObjectBuilder copy = StrictJson.builders().createObjectBuilder();
            for (Map.Entry<String, JsonValue> member : object.entrySet()) {
                copy.add(member.getKey(), isSensitive(member.getKey()) ? StrictJson.string(REDACTED)
                        : redactJson(member.getValue()));
            }
            return copy.build();
        }
        if (value instanceof JsonArray array) {
            JsonArrayBuilder copy = StrictJson.builders().createArrayBuilder();
            array.forEach(item -> copy.add(redactJson(item)));
            return copy.build();
        }
        if (value instanceof JsonString string && OPAQUE.matcher(string.getString()).find()) {
            return StrictJson.string(OPAQUE.matcher(string.getString()).replaceAll(REDACTED));
        }
        return value;
    }

    private static String redactText(String text) {
        String result = replace(JSON_MEMBER, text, m -> isSensitive(m.group(2))
                ? m.group(1) + "\"" + REDACTED + "\"" : m.group(0));
        result = replace(FORM_MEMBER, result, m -> isSensitive(m.group(1)) ? m.group(1) + "=" + REDACTED : m.group(0));
        return OPAQUE.matcher(result).replaceAll(REDACTED);
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static boolean isSensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SENSITIVE_KEY.matcher(k).matches() && !KEPT_KEY.matcher(k).matches();
    }

    /** Control and format characters (line breaks, bidi overrides) become spaces; runs of spaces collapse. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH * 2));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() <= MAX_LENGTH; i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean invisible = Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || Character.isWhitespace(c);
            if (invisible) {
                if (!space && out.length() > 0) {
                    out.append(' ');
                }
                space = true;
            } else {
                out.append(c);
                space = false;
            }
        }
        return out.toString().strip();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 3) + "...";
    }
}
