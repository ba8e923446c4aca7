package dev.conduit.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A 100 MiB download and a 100 MiB upload pass through the proxy in a JVM whose heap (32 MiB) is a third of one body:
 * holding either whole would end in an OutOfMemoryError.
 */
class ProxyLargeBodyTest {

    private static final long SIZE = 100L * 1024 * 1024;
    private static final String HEAP = "-Xmx32m";

    @Test
    void doFilterWhen100MiBEachWayWith32MiBHeapThenEveryByteArrives() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), HEAP, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), LargeBodies.class.getName(), Long.toString(SIZE)))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            process.destroyForcibly();
        }

        System.out.println(output);
        assertThat(ended).as("ended within 5 minutes: " + output).isTrue();
        assertThat(output).doesNotContain("OutOfMemoryError");
        assertThat(output).contains("download 200 " + SIZE + " bytes, intact: true")
                .contains("upload 201 " + SIZE + " bytes, intact: true");
        assertThat(process.exitValue()).as(output).isZero();
    }
}
