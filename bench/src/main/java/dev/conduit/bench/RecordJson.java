package dev.conduit.bench;

import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the figures' records as indented JSON with JSON-P, the one JSON library of the project: a record is an object
 * of its components by name, a collection an array, a number a number.
 */
final class RecordJson {

    private static final JsonGeneratorFactory GENERATORS = JsonProvider.provider()
            .createGeneratorFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));

    private RecordJson() {
    }

    static void write(Path file, Object value) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                JsonGenerator json = GENERATORS.createGenerator(out)) {
            value(json, value);
        }
    }

    private static void value(JsonGenerator json, Object value) {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Record record) {
            json.writeStartObject();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                json.writeKey(component.getName());
                value(json, component(record, component));
            }
            json.writeEnd();
        } else if (value instanceof Collection<?> items) {
            json.writeStartArray();
            items.forEach(item -> value(json, item));
            json.writeEnd();
        } else if (value instanceof Integer || value instanceof Long) {
            json.write(((Number) value).longValue());
        } else if (value instanceof Number number) {
            json.write(number.doubleValue());
        } else if (value instanceof Boolean flag) {
            json.write(flag);
        } else {
            json.write(value.toString());
        }
    }

    private static Object component(Record record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass(), e);
        }
    }
}
