package dev.conduit.it.leak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeakScanTest {

    @TempDir
    Path dir;

    @Test
    void scanWhenALogHoldsASecretAndATokenThenBothFoundByNameAndLineWithoutTheValue() throws Exception {
        Path log = Files.writeString(dir.resolve("messages.log"), String.join("\n",
                "[INFO] Conduit ready",
                "[WARNING] token request failed, client_secret=planted-secret-81c2",
                "[INFO] Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl",
                "[INFO] done"));

        var hits = new LeakScan(Map.of("the planted secret", "planted-secret-81c2")).scan(log);

        assertThat(hits).extracting(LeakScan.Hit::line, LeakScan.Hit::what).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "the planted secret"),
                org.assertj.core.groups.Tuple.tuple(3, "a JSON Web Token"));
        assertThat(hits.toString()).doesNotContain("planted-secret-81c2").doesNotContain("eyJ");
    }

    @Test
    void scanWhenTheLogIsCleanThenNoHit() throws Exception {
        Path log = Files.writeString(dir.resolve("messages.log"), "[INFO] token of crm renewed (expires in 300 s)\n");

        assertThat(new LeakScan(LeakScan.endToEndSecrets()).scan(log)).isEmpty();
    }

    @Test
    void endToEndSecretsWhenReadThenTheRealmSecretsAndTheKeyAreThere() {
        Map<String, String> secrets = LeakScan.endToEndSecrets();

        assertThat(secrets).containsKeys("RealmClients.CC_SECRET", "RealmClients.WEB_SECRET",
                "RealmClients.ALICE_PASSWORD", "the private_key_jwt key (line 2)");
    }
}
