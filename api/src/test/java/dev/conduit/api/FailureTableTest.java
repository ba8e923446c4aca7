package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The failure table in docs/failures.md says what the code says: every code, its HTTP status and its scope. */
class FailureTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| (\\d{3}) \\| `([A-Z]+)` \\|", Pattern.MULTILINE);

    @Test
    void failuresDocWhenReadThenListsEveryCodeWithItsStatusAndScope() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "failures.md"));
        Matcher row = ROW.matcher(doc);
        int rows = 0;
        while (row.find()) {
            ErrorCode code = ErrorCode.valueOf(row.group(1));
            assertThat(Integer.parseInt(row.group(2))).as(code + " status").isEqualTo(code.httpStatus());
            assertThat(FailureScope.valueOf(row.group(3))).as(code + " scope").isEqualTo(code.scope());
            rows++;
        }
        assertThat(rows).as("one row per ErrorCode").isEqualTo(ErrorCode.values().length);
    }
}
