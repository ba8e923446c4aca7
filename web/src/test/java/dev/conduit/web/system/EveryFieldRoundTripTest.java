package dev.conduit.web.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Variable;
import dev.conduit.core.schema.FieldType;
import dev.conduit.core.schema.SystemField;
import dev.conduit.core.schema.SystemFields;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.web.transfer.Customization;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EveryFieldRoundTripTest {

    private final HostileTokenServer server = HostileTokenServer.start();
    private final ConnectedSystem every = TestSystems.everyField(server).build();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void readWhenEveryFieldWrittenAsJsonThenEqualSystemWithSecretsKeptFromStored() {
        JsonObject json = SystemJson.write(every).build();

        ConnectedSystem read = SystemJson.read(json, every.name(), Optional.of(every));

        assertThat(read).isEqualTo(every);
        assertThat(json.toString()).doesNotContain(TestSystems.CLIENT_SECRET).doesNotContain("assertion-key-3b9e07")
                .doesNotContain("api-key-41d2c8");
        for (SystemField secret : SystemFields.secrets()) {
            assertThat(json.getBoolean(secret.name() + "Set")).as(secret.name()).isTrue();
        }
    }

    @Test
    void writeWhenEveryFieldExportedThenCustomizationHasEachPerEnvironmentFieldWithItsValue() {
        Map<String, String> values = Customization.parse(Customization.write(List.of(every), Instant.EPOCH));

        Map<String, String> expected = new HashMap<>();
        for (SystemField field : SystemFields.perEnvironment()) {
            if (field.type() != FieldType.MAP) {
                // secrets are never exported: their entries are required and empty
                expected.put(every.name() + "." + field.name(), field.secret() ? "" : field.text(every));
            }
        }
        for (Variable v : every.variables().values()) {
            expected.put(every.name() + ".variables." + v.name(), v.secret() ? "" : v.plainValue());
        }
        assertThat(values).isEqualTo(expected);
    }
}
