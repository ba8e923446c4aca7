package dev.conduit.core.crypto;

import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Re-encrypts every stored secret and token under the newest (primary) key while the server runs: each row is
 * decrypted under whichever configured key sealed it and written back under the primary key, only if nobody changed
 * it meanwhile. Once it has run on one server, the retired key can be removed from every server's configuration; rows
 * still under it (none, unless it was removed first) then read as absent with a log line that names the key id.
 */
public final class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class.getName());

    private final SecretCipher cipher;
    private final List<ReEncryptable> stores;

    public KeyRotation(SecretCipher cipher, List<ReEncryptable> stores) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.stores = List.copyOf(stores);
    }

    /** What one rotation did: the primary key every readable row is now under, and each store's counts. */
    public record Result(String primaryKeyId, List<ReEncryption> stores) {

        public Result {
            stores = List.copyOf(stores);
        }

        public long unreadable() {
            return stores.stream().mapToLong(ReEncryption::unreadable).sum();
        }

        public long reEncrypted() {
            return stores.stream().mapToLong(ReEncryption::reEncrypted).sum();
        }
    }

    /** Re-encrypts every store in turn. */
    public Result rotate() {
        List<ReEncryption> results = stores.stream().map(ReEncryptable::reEncrypt).toList();
        Result result = new Result(cipher.primaryKeyId(), results);
        LOG.info(() -> "Key rotation: " + result.reEncrypted() + " stored values re-encrypted under key '"
                + result.primaryKeyId() + "' " + results + (result.unreadable() == 0 ? ""
                        : "; " + result.unreadable() + " could not be decrypted under any configured key ("
                                + cipher.keyIds() + ") and read as absent"));
        return result;
    }
}
