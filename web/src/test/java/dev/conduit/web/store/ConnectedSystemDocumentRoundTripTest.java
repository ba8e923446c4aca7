package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.Secret;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.TestSystems;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectedSystemDocumentRoundTripTest {

    private final HostileTokenServer server = HostileTokenServer.start();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void readWhenEveryFieldStoredThenEqualSystemAndNoSecretInTheConfiguration() {
        ConnectedSystem every = TestSystems.everyField(server).build();

        String configuration = ConnectedSystemDocument.configurationJson(every);
        ConnectedSystem read = ConnectedSystemDocument.read(every.name(), every.version(), configuration,
                ConnectedSystemDocument.secretsJson(every), false);

        assertThat(read).isEqualTo(every);
        assertThat(configuration).doesNotContain(TestSystems.CLIENT_SECRET).doesNotContain("assertion-key-3b9e07")
                .doesNotContain("api-key-41d2c8");
    }

    /** Every field format 1 knew: the per-system renewal window and call deadline came later. */
    private ConnectedSystem everyFormat1Field() {
        return TestSystems.everyField(server).renewalWindow(null).callDeadline(null).build();
    }

    /** Rows stored by an earlier version (format 1, written member by member) read as the same system. */
    @Test
    void readWhenDocumentsWrittenByEarlierVersionThenEqualSystem() {
        ConnectedSystem every = everyFormat1Field();

        ConnectedSystem read = ConnectedSystemDocument.read(every.name(), every.version(),
                fixture("format1-every-field.json"), Optional.of(Secret.of(fixture("format1-every-field-secrets.json"))),
                false);

        assertThat(read).isEqualTo(every);
    }

    /** An earlier version (a rollback, a node not yet upgraded) reads what this one writes: the same members. */
    @Test
    void configurationJsonWhenEveryFieldSetThenSameDocumentAsEarlierVersion() {
        ConnectedSystem every = everyFormat1Field();

        JsonObject written = object(ConnectedSystemDocument.configurationJson(every));

        assertThat(written).isEqualTo(object(fixture("format1-every-field.json")));
    }

    private String fixture(String name) {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/stored/" + name)) {
            String base = server.url("/");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${server}", base.substring(0, base.length() - 1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject object(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }
}
