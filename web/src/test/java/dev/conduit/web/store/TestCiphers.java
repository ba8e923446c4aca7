package dev.conduit.web.store;

import dev.conduit.core.crypto.SecretCipher;
import java.util.Map;

/** Ciphers with fresh random keys, as the stores get them in production. */
final class TestCiphers {

    private TestCiphers() {
    }

    static SecretCipher fresh() {
        return SecretCipher.fromBase64("k1", Map.of("k1", SecretCipher.generateKey()));
    }
}
