package dev.conduit.core.crypto;

import java.util.Objects;

/**
 * What re-encrypting one store did.
 *
 * @param store        what was re-encrypted, e.g. {@code tokens}
 * @param reEncrypted  rows now under the primary key that were not before
 * @param current      rows that were under the primary key already
 * @param unreadable   rows no configured key decrypts (a retired key, or tampered): left as they are, they read as
 *                     absent
 * @param changedMeanwhile rows another request changed while they were re-encrypted: the change wrote them under the
 *                     primary key already
 */
public record ReEncryption(String store, long reEncrypted, long current, long unreadable, long changedMeanwhile) {

    public ReEncryption {
        Objects.requireNonNull(store, "store");
    }
}
