package dev.conduit.core.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.endpoint.TokenResponseParser;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyPreviewTest {

    @Test
    void ofWhenJsonHoldsCredentialsThenValuesRedactedAndOthersKept() {
        String body = "{\"access_token\":\"at-1\",\"refresh_token\":\"rt-1\",\"id_token\":\"it-1\",\"token_type\":"
                + "\"mac\",\"client_secret\":\"cs-1\",\"password\":\"pw-1\",\"nested\":{\"assertion\":\"as-1\"},"
                + "\"note\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig\"}";

        String preview = preview(body);

        assertThat(preview).doesNotContain("at-1", "rt-1", "it-1", "cs-1", "pw-1", "as-1", "eyJhbGci")
                .contains("\"token_type\":\"mac\"");
    }

    @Test
    void ofWhenNotJsonThenKeyValueAndOpaqueStringsRedacted() {
        String body = "access_token=at-2&token_type=bearer\n<p>\"refresh_token\": \"rt-2\" and "
                + "0123456789abcdef0123456789abcdef</p>";

        String preview = preview(body);

        assertThat(preview).doesNotContain("at-2", "rt-2", "0123456789abcdef0123456789abcdef", "\n")
                .contains("token_type=bearer");
    }

    @Test
    void ofWhenLongOrWithControlCharactersThenTruncatedAndPrintable() {
        String body = "line one\r\nline two\u0000\u202e" + "x ".repeat(500);

        String preview = preview(body);

        assertThat(preview).hasSizeLessThanOrEqualTo(BodyPreview.MAX_LENGTH).startsWith("line one line two")
                .doesNotContain("\r", "\n", "\u0000", "\u202e").endsWith("...");
    }

    @Test
    void ofWhenSentSecretAppearsEvenShortThenMasked() {
        byte[] body = "wrong secret: s3cr+t!".getBytes(StandardCharsets.UTF_8);

        assertThat(BodyPreview.of(body, null, List.of("s3cr+t!"))).isEqualTo("wrong secret: ***");
    }

    @Test
    void ofWhenEmptyThenSaysSo() {
        assertThat(BodyPreview.of(new byte[0], null, List.of())).isEqualTo("(empty body)");
    }

    private static String preview(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        JsonValue json = TokenResponseParser.parseJson(bytes);
        return BodyPreview.of(bytes, json, List.of());
    }
}
