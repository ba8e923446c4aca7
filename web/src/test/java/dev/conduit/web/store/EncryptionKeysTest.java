package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.core.crypto.SecretCipher;
import dev.conduit.core.testing.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionKeysTest {

    private static final Secret TOKEN = Secret.of("token-to-protect-5c2e91");
    private static final String CONTEXT = "test";

    @TempDir
    Path serverDirectory;

    @Test
    void cipherWhenSingleKeyConfiguredThenUsesItAsKeyK1AndWritesNoFile() {
        String key = SecretCipher.generateKey();

        SecretCipher cipher = new EncryptionKeys(serverDirectory).cipher(Optional.of(key));

        SecretCipher sameKey = SecretCipher.fromBase64("k1", Map.of("k1", key));
        assertThat(sameKey.decrypt(cipher.encrypt(TOKEN, CONTEXT), CONTEXT)).contains(TOKEN);
        assertThat(cipher.decrypt(sameKey.encrypt(TOKEN, CONTEXT), CONTEXT)).contains(TOKEN);
        assertThat(serverDirectory.resolve(EncryptionKeys.KEY_FILE_NAME)).doesNotExist();
    }

    @Test
    void cipherWhenKeyListConfiguredThenFirstEncryptsAndEveryKeyDecrypts() {
        String oldKey = SecretCipher.generateKey();
        String newKey = SecretCipher.generateKey();
        String sealedWithOld = SecretCipher.fromBase64("2025", Map.of("2025", oldKey)).encrypt(TOKEN, CONTEXT);

        SecretCipher rotated = new EncryptionKeys(serverDirectory)
                .cipher(Optional.of(" 2026:" + newKey + " , 2025:" + oldKey + " "));

        assertThat(rotated.decrypt(sealedWithOld, CONTEXT)).contains(TOKEN);
        String sealedNow = rotated.encrypt(TOKEN, CONTEXT);
        assertThat(SecretCipher.fromBase64("2026", Map.of("2026", newKey)).decrypt(sealedNow, CONTEXT))
                .contains(TOKEN);
        assertThat(SecretCipher.fromBase64("2025", Map.of("2025", oldKey)).decrypt(sealedNow, CONTEXT)).isEmpty();
    }

    @Test
    void cipherWhenConfiguredKeyMalformedThenInvalidConfigurationNamingThePropertyNotTheValue() {
        String notAKey = "c2hvcnQta2V5LXNlY3JldC12YWx1ZQ";
        List<String> malformed = List.of(notAKey, "k1:" + notAKey, "k1:", ":" + notAKey,
                "k1:" + SecretCipher.generateKey() + ",k1:" + SecretCipher.generateKey());
        LeakCheck leaks = new LeakCheck().secret(notAKey);
        EncryptionKeys keys = new EncryptionKeys(serverDirectory);

        for (String value : malformed) {
            RuntimeException e = leaks.expectThrows(() -> keys.cipher(Optional.of(value)));
            assertThat(e).isInstanceOfSatisfying(ConduitException.class, ce -> {
                assertThat(ce.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                assertThat(ce.field()).contains(EncryptionKeys.PROPERTY);
                assertThat(ce.getMessage()).startsWith(EncryptionKeys.PROPERTY);
            });
        }

        leaks.assertNoLeak();
        assertThat(serverDirectory.resolve(EncryptionKeys.KEY_FILE_NAME)).doesNotExist();
    }

    @Test
    void cipherWhenNothingConfiguredThenGeneratesKeyFileReusedOnNextStartAndWarnsWithoutTheKey() throws Exception {
        LeakCheck leaks = new LeakCheck();
        String sealed;
        SecretCipher secondStart;
        try (AutoCloseable logs = leaks.recordLogs()) {
            SecretCipher firstStart = new EncryptionKeys(serverDirectory).cipher(Optional.empty());
            sealed = firstStart.encrypt(TOKEN, CONTEXT);
            secondStart = new EncryptionKeys(serverDirectory).cipher(Optional.of("  "));
        }

        assertThat(secondStart.decrypt(sealed, CONTEXT)).contains(TOKEN);
        Path keyFile = serverDirectory.resolve(EncryptionKeys.KEY_FILE_NAME);
        String stored = Files.readString(keyFile).strip();
        assertThat(stored).startsWith("k1:");
        String key = stored.substring("k1:".length());
        // the file's value is what an operator would put in conduit.encryption.key to keep reading the data
        assertThat(new EncryptionKeys(serverDirectory.resolve("elsewhere")).cipher(Optional.of(stored))
                .decrypt(sealed, CONTEXT)).contains(TOKEN);
        if (Files.getFileStore(keyFile).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        }
        List<String> warnings = leaks.collected().stream().filter(line -> line.contains("WARNING")).toList();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("generated").contains(keyFile.toAbsolutePath().toString())
                .contains(EncryptionKeys.PROPERTY).contains("production");
        assertThat(warnings.get(1)).contains("generated earlier").contains(keyFile.toAbsolutePath().toString());
        leaks.secret(key).assertNoLeak();
    }

    @Test
    void cipherWhenKeyConfiguredThenGeneratedFileIsIgnored() {
        SecretCipher generated = new EncryptionKeys(serverDirectory).cipher(Optional.empty());
        String sealed = generated.encrypt(TOKEN, CONTEXT);

        SecretCipher configured = new EncryptionKeys(serverDirectory).cipher(Optional.of(SecretCipher.generateKey()));

        assertThat(configured.decrypt(sealed, CONTEXT)).isEmpty();
    }

    @Test
    void cipherWhenKeyFileCannotBeWrittenThenInternalErrorNamingTheProperty() throws Exception {
        Path notADirectory = Files.writeString(serverDirectory.resolve("plain-file"), "x");

        assertThatThrownBy(() -> new EncryptionKeys(notADirectory).cipher(Optional.empty()))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(e.getMessage()).contains(EncryptionKeys.PROPERTY);
                });
    }
}
