package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectedSystemDocumentTest {

    @Test
    void secretsToStringWhenSecretsSetThenNoValueShown() {
        ConnectedSystemDocument.Secrets secrets = new ConnectedSystemDocument.Secrets(Map.of("clientSecret",
                "client-secret-1", "clientAssertionKey", "-----BEGIN PRIVATE KEY-----key-1"),
                Map.of("apiKey", "variable-secret-1"));

        String text = secrets.toString();

        assertThat(text).doesNotContain("client-secret-1", "key-1", "variable-secret-1")
                .contains("apiKey", "******");
    }
}
