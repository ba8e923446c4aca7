package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.TestSystems;
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
}
