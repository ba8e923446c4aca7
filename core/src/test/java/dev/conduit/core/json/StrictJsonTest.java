package dev.conduit.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a provider's answer or a template file must be to be read at all. */
class StrictJsonTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readWhenObjectThenMembersKeptInOrder() {
        JsonValue value = StrictJson.read(bytes("{\"b\": [1, \"two\", null, true], \"a\": {\"c\": 3}}")).orElseThrow();

        assertThat(value).isInstanceOfSatisfying(JsonObject.class, o -> {
            assertThat(o.keySet()).containsExactly("b", "a");
            assertThat(o.getJsonArray("b").toString()).isEqualTo("[1,\"two\",null,true]");
            assertThat(o.getJsonObject("a").getInt("c")).isEqualTo(3);
        });
    }

    @Test
    void readWhenMemberRepeatedThenRefusedWithItsLocationAndNotItsValue() {
        assertThatThrownBy(() -> StrictJson.read(bytes("{\"access_token\": \"at-1\",\n \"access_token\": \"at-2\"}")))
                .isInstanceOfSatisfying(JsonParsingException.class, e -> {
                    assertThat(e.getMessage()).contains("'access_token' appears twice").doesNotContain("at-1", "at-2");
                    assertThat(e.getLocation().getLineNumber()).isEqualTo(2);
                });
    }

    @Test
    void readWhenMemberRepeatedInsideAnArrayThenRefused() {
        assertThatThrownBy(() -> StrictJson.read(bytes("{\"items\": [{\"a\": 1, \"a\": 2}]}")))
                .isInstanceOf(JsonParsingException.class);
    }

    @Test
    void readWhenSameNameInTwoObjectsThenAccepted() {
        assertThat(StrictJson.read(bytes("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}"))).isPresent();
    }

    @Test
    void readWhenContentAfterTheValueThenRefused() {
        assertThatThrownBy(() -> StrictJson.read(bytes("{\"a\": 1} {\"a\": 2}"))).isInstanceOf(JsonParsingException.class);
        assertThatThrownBy(() -> StrictJson.read(bytes("{\"a\": 1} x"))).isInstanceOf(JsonParsingException.class);
        assertThat(StrictJson.read(bytes("{\"a\": 1} \r\n\t "))).isPresent();
    }

    @Test
    void readWhenOnlyWhiteSpaceThenEmpty() {
        assertThat(StrictJson.read(new byte[0])).isEmpty();
        assertThat(StrictJson.read(bytes(" \n "))).isEmpty();
    }

    @Test
    void readWhenNestedDeeperThanTheLimitThenRefusedWithItsLocation() {
        String deep = "[".repeat(StrictJson.MAX_DEPTH + 1) + "]".repeat(StrictJson.MAX_DEPTH + 1);

        assertThatThrownBy(() -> StrictJson.read(bytes(deep))).isInstanceOfSatisfying(JsonParsingException.class,
                e -> assertThat(e.getLocation().getColumnNumber()).isGreaterThan(StrictJson.MAX_DEPTH));
        String limit = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
        assertThat(StrictJson.read(bytes(limit))).isPresent();
    }

    @Test
    void readWhenNumberBeyondTheParsersLimitThenJsonParsingException() {
        assertThatThrownBy(() -> StrictJson.read(bytes("{\"expires_in\": " + "9".repeat(5000) + "}")))
                .isInstanceOf(JsonParsingException.class);
    }

    @Test
    void readOrNullWhenNotStrictJsonThenNull() {
        assertThat(StrictJson.readOrNull(bytes("{\"a\": 1, \"a\": 1}"))).isNull();
        assertThat(StrictJson.readOrNull(bytes("<html>"))).isNull();
        assertThat(StrictJson.readOrNull(new byte[0])).isNull();
        assertThat(StrictJson.readOrNull(bytes("null"))).isEqualTo(JsonValue.NULL);
    }

    @Test
    void wholeNumberWhenFractionExponentTooLargeOrStringThenEmpty() {
        JsonObject o = StrictJson.read(bytes("{\"int\": 120, \"big\": 99999999999999999999, \"fraction\": 1.0, "
                + "\"exponent\": 1e3, \"text\": \"120\"}")).orElseThrow().asJsonObject();

        assertThat(StrictJson.wholeNumber(o.get("int"))).contains(120L);
        assertThat(StrictJson.wholeNumber(o.get("big"))).isEmpty();
        assertThat(StrictJson.wholeNumber(o.get("fraction"))).isEmpty();
        assertThat(StrictJson.wholeNumber(o.get("exponent"))).isEmpty();
        assertThat(StrictJson.wholeNumber(o.get("text"))).isEmpty();
    }

    @Test
    void kindWhenEachTypeThenNamedForAMessage() {
        JsonObject o = StrictJson.read(bytes("{\"t\": true, \"f\": false, \"n\": null, \"a\": [], \"o\": {}, "
                + "\"s\": \"x\", \"d\": 1}")).orElseThrow().asJsonObject();

        assertThat(o.values()).extracting(StrictJson::kind)
                .containsExactly("boolean", "boolean", "null", "array", "object", "string", "number");
    }
}
