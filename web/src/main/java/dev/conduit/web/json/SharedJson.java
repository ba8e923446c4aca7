package dev.conduit.web.json;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;
import java.io.Reader;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON-P provider and its factories, looked up once for all of web: each static {@code jakarta.json.Json.create*}
 * call looks the provider up through the service loader again (a tenth of the server's CPU per integration call when
 * request bodies were read that way). The methods are named as in {@code Json} and build the same values, so the output
 * is the provider's own, byte for byte.
 */
public final class SharedJson {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());

    private SharedJson() {
    }

    public static JsonObjectBuilder createObjectBuilder() {
        return BUILDERS.createObjectBuilder();
    }

    /** A builder holding the members of {@code object}, to add to or replace. */
    public static JsonObjectBuilder createObjectBuilder(JsonObject object) {
        return BUILDERS.createObjectBuilder(object);
    }

    /** A builder holding {@code map}'s entries, converted as {@code Json}'s method of this name converts them. */
    public static JsonObjectBuilder createObjectBuilder(Map<String, Object> map) {
        return BUILDERS.createObjectBuilder(map);
    }

    public static JsonArrayBuilder createArrayBuilder() {
        return BUILDERS.createArrayBuilder();
    }

    /** A builder holding {@code items}, converted as {@code Json}'s method of this name converts them. */
    public static JsonArrayBuilder createArrayBuilder(Collection<?> items) {
        return BUILDERS.createArrayBuilder(items);
    }

    public static JsonString createValue(String value) {
        return PROVIDER.createValue(value);
    }

    public static JsonNumber createValue(long value) {
        return PROVIDER.createValue(value);
    }

    /** A reader of one JSON text; the caller closes it. */
    public static JsonReader createReader(Reader reader) {
        return READERS.createReader(reader);
    }
}
