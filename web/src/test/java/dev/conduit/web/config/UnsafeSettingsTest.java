package dev.conduit.web.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UnsafeSettingsTest {

    private static List<String> warnings(Map<String, String> config) {
        return UnsafeSettings.warnings(key -> Optional.ofNullable(config.get(key)));
    }

    /**
     * The defaultValue of every variable in the shipped server.xml and the given profile: what a server started with
     * that profile sees.
     */
    private static Map<String, String> shipped(String profile) throws IOException {
        String xml = Files.readString(Path.of("src/main/liberty/config/server.xml"))
                + Files.readString(Path.of("src/main/liberty/config/profile/" + profile + ".xml"));
        Map<String, String> values = new HashMap<>();
        Matcher m = Pattern.compile("<variable name=\"([^\"]+)\" defaultValue=\"([^\"]*)\"/>").matcher(xml);
        while (m.find()) {
            values.put(m.group(1), m.group(2));
        }
        return values;
    }

    @Test
    void warningsWhenStartedFromTheDemoServerXmlThenEachUnsafeSettingNamed() throws IOException {
        assertThat(shipped("demo")).containsEntry("conduit.profile", "demo");
        List<String> warnings = warnings(shipped("demo"));

        assertThat(warnings).hasSize(6);
        assertThat(warnings).anyMatch(w -> w.startsWith("conduit.endpoints.allow-loopback-http=true"))
                .anyMatch(w -> w.contains("'admin'") && w.contains("CONDUIT_ADMIN_PASSWORD"))
                .anyMatch(w -> w.contains("'alice'")).anyMatch(w -> w.contains("'bob'"))
                .anyMatch(w -> w.contains("'operator'")).anyMatch(w -> w.startsWith("conduit.public-url is not set"));
    }

    @Test
    void warningsWhenStartedWithTheProductionProfileAndAnHttpsPublicUrlThenNone() throws IOException {
        Map<String, String> production = shipped("production");
        production.put("conduit.public-url", "https://conduit.example.com");

        assertThat(warnings(production)).isEmpty();
        assertThat(Files.readString(Path.of("src/main/liberty/config/profile/production.xml")))
                .as("https only").contains("<httpEndpoint id=\"defaultHttpEndpoint\" httpPort=\"-1\"/>");
    }

    @Test
    void warningsWhenProductionSettingsThenNone() {
        Map<String, String> production = new HashMap<>(Map.of("conduit.endpoints.allow-loopback-http", "false",
                "conduit.metrics.authentication", "true", "conduit.public-url", "https://conduit.example.com",
                "conduit.admin.password", "a long generated one"));

        assertThat(warnings(production)).isEmpty();
    }

    @Test
    void warningsWhenMetricsOpenAndPublicUrlHttpThenBothNamedWithoutAnyPassword() {
        List<String> warnings = warnings(Map.of("conduit.metrics.authentication", "FALSE", "conduit.public-url",
                "http://conduit.example.com", "conduit.admin.password", "not-the-demo-one-7f3a"));

        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith("conduit.metrics.authentication=false");
        assertThat(warnings.get(1)).startsWith("conduit.public-url is not https");
        assertThat(String.join("\n", warnings)).doesNotContain("not-the-demo-one-7f3a");
    }
}
