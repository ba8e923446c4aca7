package dev.conduit.core.crypto;

/** Re-encrypts every value a store holds under its cipher's primary key; what no configured key opens stays as it is. */
@FunctionalInterface
public interface ReEncryptable {

    ReEncryption reEncrypt();
}
