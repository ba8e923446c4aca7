package dev.conduit.web.json;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SharedJsonTest {

    /** A static {@code Json.create...} call, not a method of a class whose name ends in Json. */
    private static final Pattern PROVIDER_LOOKUP = Pattern.compile("(?<![\\w.])Json\\.create\\w*\\(");

    @Test
    void webSourcesWhenScannedThenEveryJsonValueIsMadeThroughSharedJson() throws IOException {
        List<String> calls = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (PROVIDER_LOOKUP.matcher(lines.get(i)).find()) {
                        calls.add(file + ":" + (i + 1));
                    }
                }
            }
        }

        assertThat(calls).as("each Json.create* call looks the JSON-P provider up again; use SharedJson").isEmpty();
    }

    @Test
    void createWhenSameValuesThenSameTextAsJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", 3);
        map.put("ratio", 0.5);
        map.put("on", true);
        map.put("none", null);
        map.put("list", List.of("a", 1L));

        JsonObject shared = SharedJson.createObjectBuilder()
                .add("text", SharedJson.createValue("qu\"ote \u00e9 \u2028 </script>"))
                .add("number", SharedJson.createValue(Long.MAX_VALUE))
                .add("array", SharedJson.createArrayBuilder(List.of("x", 2, false)))
                .add("fromMap", SharedJson.createObjectBuilder(map))
                .add("empty", SharedJson.createArrayBuilder())
                .build();
        JsonObject plain = Json.createObjectBuilder()
                .add("text", Json.createValue("qu\"ote \u00e9 \u2028 </script>"))
                .add("number", Json.createValue(Long.MAX_VALUE))
                .add("array", Json.createArrayBuilder(List.of("x", 2, false)))
                .add("fromMap", Json.createObjectBuilder(map))
                .add("empty", Json.createArrayBuilder())
                .build();

        assertThat(shared.toString()).isEqualTo(plain.toString());
        assertThat(SharedJson.createObjectBuilder(shared).add("more", 1).build().toString())
                .isEqualTo(Json.createObjectBuilder(plain).add("more", 1).build().toString());
        try (JsonReader reader = SharedJson.createReader(new StringReader(plain.toString()))) {
            assertThat(reader.readObject()).isEqualTo(plain);
        }
    }
}
