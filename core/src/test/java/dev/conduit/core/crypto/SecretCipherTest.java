package dev.conduit.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY_2024 = SecretCipher.generateKey();
    private static final String KEY_2025 = SecretCipher.generateKey();
    private static final Secret VALUE = Secret.of("refresh-token-ÿ-0123456789");

    private final SecretCipher cipher = SecretCipher.fromBase64("k2024", Map.of("k2024", KEY_2024));

    @Test
    void decryptWhenEncryptedThenSameValueAndFormatCarriesKeyId() {
        String encrypted = cipher.encrypt(VALUE);

        assertThat(encrypted).startsWith("v1.k2024.").doesNotContain(VALUE.reveal());
        assertThat(cipher.decrypt(encrypted)).contains(VALUE);
    }

    @Test
    void encryptWhenCalledTwiceThenDifferentCiphertexts() {
        assertThat(cipher.encrypt(VALUE)).isNotEqualTo(cipher.encrypt(VALUE));
    }

    @Test
    void decryptWhenAnyByteFlippedThenEmpty() {
        String encrypted = cipher.encrypt(VALUE);
        String prefix = encrypted.substring(0, encrypted.lastIndexOf('.') + 1);
        byte[] data = Base64.getUrlDecoder().decode(encrypted.substring(prefix.length()));

        for (int i = 0; i < data.length; i++) {
            byte[] tampered = data.clone();
            tampered[i] ^= 0x01;
            String value = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThat(cipher.decrypt(value)).as("byte %d flipped", i).isEmpty();
        }
    }

    @Test
    void decryptWhenTruncatedOrMalformedThenEmpty() {
        String encrypted = cipher.encrypt(VALUE);

        assertThat(cipher.decrypt(encrypted.substring(0, encrypted.length() - 4))).isEmpty();
        assertThat(cipher.decrypt("v1.k2024.")).isEmpty();
        assertThat(cipher.decrypt("v1.k2024.!!!not-base64!!!")).isEmpty();
        assertThat(cipher.decrypt("v2" + encrypted.substring(2))).isEmpty();
        assertThat(cipher.decrypt(encrypted + ".extra")).isEmpty();
        assertThat(cipher.decrypt("")).isEmpty();
        assertThat(cipher.decrypt(null)).isEmpty();
    }

    @Test
    void decryptWhenKeyIdUnknownThenEmpty() {
        SecretCipher other = SecretCipher.fromBase64("k2025", Map.of("k2025", KEY_2025));

        assertThat(other.decrypt(cipher.encrypt(VALUE))).isEmpty();
    }

    @Test
    void decryptWhenKeyIdRewrittenToAnotherKnownKeyThenEmpty() {
        SecretCipher both = SecretCipher.fromBase64("k2024", Map.of("k2024", KEY_2024, "k2025", KEY_2024));
        String encrypted = both.encrypt(VALUE);

        // same key material under another id: the key id is authenticated, so the move is detected
        assertThat(both.decrypt(encrypted.replace("v1.k2024.", "v1.k2025."))).isEmpty();
    }

    @Test
    void decryptWhenKeysRotatedThenOldValuesReadAndNewValuesUsePrimary() {
        String old = cipher.encrypt(VALUE);
        Map<String, String> ring = new LinkedHashMap<>();
        ring.put("k2024", KEY_2024);
        ring.put("k2025", KEY_2025);
        SecretCipher rotated = SecretCipher.fromBase64("k2025", ring);

        String fresh = rotated.encrypt(VALUE);

        assertThat(rotated.decrypt(old)).contains(VALUE);
        assertThat(fresh).startsWith("v1.k2025.");
        assertThat(rotated.decrypt(fresh)).contains(VALUE);
        assertThat(rotated.needsReEncryption(old)).isTrue();
        assertThat(rotated.needsReEncryption(fresh)).isFalse();
        assertThat(cipher.decrypt(fresh)).isEmpty();
    }

    @Test
    void decryptWhenAssociatedDataDiffersThenEmpty() {
        String encrypted = cipher.encrypt(VALUE, "orders-api|user:alice");

        assertThat(cipher.decrypt(encrypted, "orders-api|user:alice")).contains(VALUE);
        assertThat(cipher.decrypt(encrypted, "orders-api|user:bob")).isEmpty();
        assertThat(cipher.decrypt(encrypted)).isEmpty();
        assertThat(cipher.decrypt(cipher.encrypt(VALUE), "orders-api|user:alice")).isEmpty();
        assertThat(cipher.decrypt(cipher.encrypt(VALUE, ""))).isEmpty();
    }

    @Test
    void constructorWhenKeyIsNot256BitsThenInvalidConfigurationNamingTheKey() {
        ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                () -> SecretCipher.fromBase64("short", Map.of("short", Base64.getEncoder().encodeToString(new byte[16]))));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.field()).contains("keyring.short");
    }

    @Test
    void constructorWhenPrimaryNotInRingThenInvalidConfiguration() {
        ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                () -> SecretCipher.fromBase64("missing", Map.of("k2024", KEY_2024)));

        assertThat(e.field()).contains("primaryKeyId");
    }

    @Test
    void constructorWhenKeyIdHoldsADotThenInvalidConfiguration() {
        ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                () -> SecretCipher.fromBase64("a.b", Map.of("a.b", KEY_2024)));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    }

    @Test
    void toStringWhenCalledThenNoKeyMaterial() {
        assertThat(cipher.toString()).contains("k2024").doesNotContain(KEY_2024, KEY_2024.substring(0, 10));
    }

    @Test
    void constructorWhenCallerChangesKeyArrayAfterwardsThenCipherUnaffected() {
        byte[] key = Base64.getDecoder().decode(KEY_2024);
        SecretCipher own = new SecretCipher("k", Map.of("k", key));
        String encrypted = own.encrypt(VALUE);
        java.util.Arrays.fill(key, (byte) 0);

        assertThat(own.decrypt(encrypted)).contains(VALUE);
    }
}
