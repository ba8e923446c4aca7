package dev.conduit.it.leak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After every other end-to-end test: Liberty's logs of both test servers (messages.log, trace.log, FFDC) and the
 * tests' own output hold none of the secrets, keys or tokens the tests used. It runs in a failsafe execution of its own
 * in the {@code verify} phase (it/pom.xml), once the servers have stopped and their logs are complete.
 */
class LeakScanIT {

    @Test
    void logsWhenEveryEndToEndTestHasRunThenNoSecretKeyOrTokenInThem() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String server : List.of("it.server.dir", "it.restart.server.dir")) {
            files.addAll(LeakScan.filesUnder(Path.of(System.getProperty(server)).resolve("logs")));
        }
        assertThat(files).as("Liberty's logs of this run").anyMatch(f -> f.getFileName().toString().equals("messages.log")
                && f.toFile().length() > 0);
        LeakScan.filesUnder(Path.of(System.getProperty("failsafe.reports.dir"))).stream()
                .filter(f -> f.getFileName().toString().endsWith("-output.txt")).forEach(files::add);
        LeakScan scan = new LeakScan(LeakScan.endToEndSecrets());

        List<LeakScan.Hit> hits = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            hits.addAll(scan.scan(file));
            bytes += Files.size(file);
        }

        System.out.println("Leak scan: " + files.size() + " files, " + bytes + " bytes, " + hits.size() + " hits");
        assertThat(hits).as("secrets, keys or tokens in the logs (file:line: which)").isEmpty();
    }
}
