package dev.conduit.web.store;

import dev.conduit.api.Secret;
import dev.conduit.core.crypto.SecretCipher;
import java.util.Objects;
import java.util.Optional;

/**
 * Encrypts the secrets the stores keep, each bound to where it is stored: the associated data names the table's
 * purpose, the row's key and the column, so a ciphertext copied to another row or column reads as absent.
 */
final class SealedSecrets {

    private final SecretCipher cipher;

    SealedSecrets(SecretCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /** The ciphertext of {@code value}, bound to {@code context}. */
    String seal(Secret value, String... context) {
        return cipher.encrypt(value, associatedData(context));
    }

    /** The plaintext, or empty when the ciphertext is tampered, bound to another context or under an unknown key. */
    Optional<Secret> open(String sealed, String... context) {
        if (sealed == null) {
            return Optional.empty();
        }
        return cipher.decrypt(sealed, associatedData(context));
    }

    /** Whether a ciphertext is under another key than the primary one. */
    boolean needsReEncryption(String sealed) {
        return cipher.needsReEncryption(sealed);
    }

    /**
     * Why a ciphertext does not open, naming the key id and never the value: a key that is not configured (retired),
     * or a value that is tampered or bound to another row.
     */
    String whyUnreadable(String sealed) {
        return SecretCipher.keyIdOf(sealed)
                .map(id -> cipher.keyIds().contains(id)
                        ? "tampered, or bound to another row; key '" + id + "' is configured"
                        : "encrypted with key '" + id + "', which is not configured (retired?); configured: "
                                + cipher.keyIds())
                .orElse("not a Conduit ciphertext");
    }

    /**
     * Length-prefixed parts, so that no two different contexts encode alike (a user id may contain any separator).
     */
    static String associatedData(String... context) {
        StringBuilder encoded = new StringBuilder("conduit-store-v1");
        for (String part : context) {
            encoded.append('|').append(part.length()).append(':').append(part);
        }
        return encoded.toString();
    }
}
