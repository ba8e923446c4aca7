package dev.conduit.core.json;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads JSON that another party wrote (a provider's answer, a template file) strictly: one value, no member twice in
 * an object, nothing but white space after the value.
 *
 * <p>Conduit binds JSON with JSON-P (Jakarta JSON Processing 2.1) alone: Liberty's {@code jsonp-2.1} feature provides
 * it (Eclipse Parsson), the web layer and the connected-system field description already speak it, and the WAR packages
 * no JSON library for it. JSON-P's {@code JsonConfig.KEY_STRATEGY} {@code NONE} is honoured by Parsson's
 * {@code JsonReader} but not by {@code JsonParser.getValue}, and a {@code JsonReader} accepts trailing content; so the
 * document is walked once with the streaming parser, which refuses both. A repeated {@code access_token} is the kind of
 * answer two parsers read differently, which is why it is refused rather than resolved.
 */
public final class StrictJson {

    /**
     * Deeper than any answer or template needs, and below the parsers' own limits (1000 in Parsson), so that a refusal
     * is always a {@link JsonParsingException} with its location rather than a provider-specific error.
     */
    static final int MAX_DEPTH = 500;

    /** Looked up once: {@code Json.createParser} and its kin look the provider up through the service loader each call. */
    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());

    private StrictJson() {
    }

    /**
     * The one value {@code document} holds (UTF-8, UTF-16 or UTF-32), or empty when it holds only white space.
     *
     * @throws JsonParsingException with the location when it is not JSON, repeats a member or goes on after its value;
     *                              the message names at most a member, never a value, since the document may hold a
     *                              token
     * @throws jakarta.json.JsonException when it cannot be decoded at all
     */
    public static Optional<JsonValue> read(byte[] document) {
        if (blank(document)) {
            return Optional.empty();
        }
        try (JsonParser parser = PARSERS.createParser(new ByteArrayInputStream(document))) {
            try {
                JsonValue value = value(parser, parser.next(), 1);
                if (parser.hasNext()) {
                    throw new JsonParsingException("more content after the JSON value", parser.getLocation());
                }
                return Optional.of(value);
            } catch (JsonException e) {
                throw e;
            } catch (RuntimeException e) {
                // a provider's own limit (Parsson refuses a number of more than 1100 characters) in JSON-P's terms
                throw new JsonParsingException("beyond the parser's limits (" + e.getClass().getSimpleName() + ")", e,
                        parser.getLocation());
            }
        }
    }

    /** The value {@code document} holds, or {@code null} when it is empty or not strict JSON; the reason is dropped. */
    public static JsonValue readOrNull(byte[] document) {
        try {
            return read(document).orElse(null);
        } catch (RuntimeException e) {
            // parser messages may quote the input, which may hold a token: never pass them on
            return null;
        }
    }

    /** Builds JSON values with the provider looked up once. */
    public static JsonBuilderFactory builders() {
        return BUILDERS;
    }

    /** A JSON string. */
    public static JsonString string(String text) {
        return PROVIDER.createValue(text);
    }

    /** The text of a JSON string, else {@code null}. */
    public static String text(JsonValue value) {
        return value instanceof JsonString string ? string.getString() : null;
    }

    /** The member {@code name} of an object, else {@code null} (also when it is JSON {@code null} or not an object). */
    public static JsonValue member(JsonValue object, String name) {
        JsonValue value = object instanceof JsonObject o ? o.get(name) : null;
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
    }

    /** A JSON {@code true} or {@code false}, else empty. */
    public static Optional<Boolean> bool(JsonValue value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.getValueType()) {
            case TRUE -> Optional.of(true);
            case FALSE -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** A whole number that fits a {@code long}, else empty (a fraction, an exponent form, too large, not a number). */
    public static Optional<Long> wholeNumber(JsonValue value) {
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            return Optional.empty();
        }
        try {
            return Optional.of(number.bigDecimalValue().longValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** The kind of a value for a message: {@code object}, {@code array}, {@code string}, {@code number}, ... */
    public static String kind(JsonValue value) {
        return switch (value.getValueType()) {
            case TRUE, FALSE -> "boolean";
            default -> value.getValueType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static JsonValue value(JsonParser parser, JsonParser.Event event, int depth) {
        switch (event) {
            case START_OBJECT -> {
                checkDepth(parser, depth);
                JsonObjectBuilder object = BUILDERS.createObjectBuilder();
                Set<String> names = new HashSet<>();
                for (JsonParser.Event next = parser.next(); next != JsonParser.Event.END_OBJECT; next = parser.next()) {
                    String name = parser.getString();
                    if (!names.add(name)) {
                        throw new JsonParsingException("the member '" + name + "' appears twice in one object",
                                parser.getLocation());
                    }
                    object.add(name, value(parser, parser.next(), depth + 1));
                }
                return object.build();
            }
            case START_ARRAY -> {
                checkDepth(parser, depth);
                JsonArrayBuilder array = BUILDERS.createArrayBuilder();
                for (JsonParser.Event next = parser.next(); next != JsonParser.Event.END_ARRAY; next = parser.next()) {
                    array.add(value(parser, next, depth + 1));
                }
                return array.build();
            }
            default -> {
                return parser.getValue();
            }
        }
    }

    private static void checkDepth(JsonParser parser, int depth) {
        if (depth > MAX_DEPTH) {
            throw new JsonParsingException("nested deeper than " + MAX_DEPTH + " levels", parser.getLocation());
        }
    }

    private static boolean blank(byte[] document) {
        for (byte b : document) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
