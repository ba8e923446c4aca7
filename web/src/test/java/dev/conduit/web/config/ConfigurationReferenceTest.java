package dev.conduit.web.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every {@code conduit.*} key that the code (core, web) or the Liberty configuration
 * reads, each with a default and a meaning. Metric names and span attributes (package {@code observe}) are not keys.
 */
class ConfigurationReferenceTest {

    private static final Path ROOT = Path.of("..");
    private static final Path REFERENCE = ROOT.resolve("docs/configuration.md");
    /** A string literal that is a key, or a key prefix ending with a dot ({@code "conduit.systems."}). */
    private static final Pattern JAVA_KEY = Pattern.compile("\"(conduit\\.[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.?)\"");
    /** A Liberty variable defined or used in server.xml and its includes. */
    private static final Pattern XML_KEY = Pattern.compile("(?:name=\"|\\$\\{)(conduit\\.[a-z0-9.-]+)[\"}]");
    /** A row of the reference table: key, kind, default, meaning. */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|([^|]*)\\|([^|]*)\\|([^|]*)\\|$");

    @Test
    void referenceWhenAKeyIsReadInCodeOrServerXmlThenTheTableListsIt() {
        Map<String, String> rows = tableRows();
        Set<String> read = new TreeSet<>();
        read.addAll(keysIn(ROOT.resolve("core/src/main/java"), ".java", JAVA_KEY));
        read.addAll(keysIn(ROOT.resolve("web/src/main/java"), ".java", JAVA_KEY));
        read.addAll(keysIn(ROOT.resolve("web/src/main/liberty/config"), ".xml", XML_KEY));

        assertThat(read).as("keys found in code").contains(ConduitSettings.PUBLIC_URL, ConduitSettings.DATA_DIR,
                "conduit.database");
        for (String key : read) {
            // a prefix such as conduit.systems. is documented as conduit.systems.<name>.<field>
            boolean listed = key.endsWith(".")
                    ? rows.keySet().stream().anyMatch(row -> row.startsWith(key + "<"))
                    : rows.containsKey(key);
            assertThat(listed).as("%s is read in code but missing from %s", key, REFERENCE).isTrue();
        }
    }

    @Test
    void referenceWhenReadThenEveryRowHasAKindADefaultAndAMeaning() {
        Map<String, String> rows = tableRows();

        assertThat(rows).isNotEmpty();
        rows.forEach((key, cells) -> assertThat(cells.split("\\|", -1)).as(key)
                .allSatisfy(cell -> assertThat(cell).as(key).isNotBlank()));
    }

    /** Key -> "kind|default|meaning". */
    private static Map<String, String> tableRows() {
        Map<String, String> rows = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
                Matcher row = ROW.matcher(line.strip());
                if (row.matches()) {
                    rows.put(row.group(1), row.group(2).strip() + "|" + row.group(3).strip() + "|" + row.group(4).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static Set<String> keysIn(Path directory, String suffix, Pattern key) {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(suffix))
                    .filter(f -> !f.toString().contains("/observe/")).toList()) {
                Matcher found = key.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (found.find()) {
                    keys.add(found.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }
}
