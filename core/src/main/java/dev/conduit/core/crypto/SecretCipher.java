package dev.conduit.core.crypto;

import dev.conduit.api.ConduitException;
import dev.conduit.api.Secret;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets and tokens at rest with AES-256-GCM under a keyring: new values use the primary key, values under
 * any key of the ring still decrypt, so keys rotate by adding a new primary and re-encrypting at leisure.
 *
 * <p>Format: {@code v1.<keyId>.<base64url(iv || ciphertext || tag)>} with a random 96-bit IV and a 128-bit tag. The
 * version and key id are authenticated (associated data), and so is the caller's optional associated data, e.g. the
 * row a value belongs to: a value cannot be moved to another key id or another row without failing to decrypt.
 * Anything that does not decrypt (tampered, truncated, another key, malformed) reads as absent.
 *
 * @see <a href="https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf">NIST SP 800-38D</a>
 */
public final class SecretCipher {

    private static final String VERSION = "v1";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String primaryKeyId;
    private final Map<String, SecretKey> keys;

    /**
     * @param primaryKeyId the key new values are encrypted with; must be in {@code keys}
     * @param keys         key id ({@code [A-Za-z0-9_-]{1,32}}) to 32-byte AES key; copied
     * @throws ConduitException {@code INVALID_CONFIGURATION} naming the key at fault
     */
    public SecretCipher(String primaryKeyId, Map<String, byte[]> keys) {
        Objects.requireNonNull(keys, "keys");
        Map<String, SecretKey> ring = new TreeMap<>();
        keys.forEach((id, key) -> {
            if (id == null || !KEY_ID.matcher(id).matches()) {
                throw ConduitException.invalidField("keyring", "a key id is 1 to 32 of [A-Za-z0-9_-]");
            }
            if (key == null || key.length != KEY_BYTES) {
                throw ConduitException.invalidField("keyring." + id, "must be a 256-bit key (32 bytes, base64: 44 "
                        + "characters); SecretCipher.generateKey() makes one");
            }
            ring.put(id, new SecretKeySpec(key.clone(), "AES"));
        });
        if (primaryKeyId == null || !ring.containsKey(primaryKeyId)) {
            throw ConduitException.invalidField("primaryKeyId", "must name a key of the keyring (ids: "
                    + String.join(", ", ring.keySet()) + ")");
        }
        this.primaryKeyId = primaryKeyId;
        this.keys = Collections.unmodifiableMap(ring);
    }

    /** A cipher from base64 (standard or URL-safe) keys, as configuration holds them. */
    public static SecretCipher fromBase64(String primaryKeyId, Map<String, String> base64Keys) {
        Objects.requireNonNull(base64Keys, "base64Keys");
        Map<String, byte[]> keys = new TreeMap<>();
        base64Keys.forEach((id, value) -> keys.put(id, decodeKey(id, value)));
        return new SecretCipher(primaryKeyId, keys);
    }

    /** A new random 256-bit key, base64-encoded, for configuration. */
    public static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public String primaryKeyId() {
        return primaryKeyId;
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** Encrypts under the primary key. */
    public String encrypt(Secret value) {
        return encrypt(value, null);
    }

    /**
     * Encrypts under the primary key, bound to {@code associatedData} (e.g. the token key of the row): decrypting
     * needs the same value.
     */
    public String encrypt(Secret value, String associatedData) {
        Objects.requireNonNull(value, "value");
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(primaryKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(primaryKeyId, associatedData));
            byte[] sealed = cipher.doFinal(value.revealBytes());
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return VERSION + "." + primaryKeyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    /** Decrypts a value encrypted without associated data; empty when it cannot be read. */
    public Optional<Secret> decrypt(String encrypted) {
        return decrypt(encrypted, null);
    }

    /**
     * Decrypts; empty when the value is malformed, tampered with, truncated, under an unknown key, or bound to other
     * associated data. Never throws for bad input and never logs it.
     */
    public Optional<Secret> decrypt(String encrypted, String associatedData) {
        if (encrypted == null) {
            return Optional.empty();
        }
        String[] parts = encrypted.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            return Optional.empty();
        }
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (data.length < IV_BYTES + TAG_BITS / 8 + 1) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
            cipher.updateAAD(aad(parts[1], associatedData));
            byte[] plain = cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES);
            return Optional.of(Secret.of(utf8(plain)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // AEADBadTagException for tampering or the wrong binding: absent, as the stores expect
            return Optional.empty();
        }
    }

    /** The key id a value was encrypted under, when it is well-formed: to find values to re-encrypt after rotation. */
    public static Optional<String> keyIdOf(String encrypted) {
        if (encrypted == null) {
            return Optional.empty();
        }
        String[] parts = encrypted.split("\\.", -1);
        return parts.length == 3 && parts[0].equals(VERSION) && KEY_ID.matcher(parts[1]).matches()
                ? Optional.of(parts[1]) : Optional.empty();
    }

    /** True when a value is not under the primary key and should be re-encrypted. */
    public boolean needsReEncryption(String encrypted) {
        return !keyIdOf(encrypted).map(primaryKeyId::equals).orElse(false);
    }

    /** Version, key id and caller data, NUL-separated; neither the version nor a key id can hold NUL. */
    private static byte[] aad(String keyId, String associatedData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("conduit-secret-" + VERSION).getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(keyId.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        if (associatedData != null) {
            out.write(1);
            out.writeBytes(associatedData.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String utf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8");
        }
    }

    private static byte[] decodeKey(String id, String value) {
        if (value == null || value.isBlank()) {
            throw ConduitException.invalidField("keyring." + id, "is empty");
        }
        String v = value.strip();
        try {
            return (v.indexOf('-') >= 0 || v.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(v);
        } catch (IllegalArgumentException e) {
            throw ConduitException.invalidField("keyring." + id, "is not base64");
        }
    }

    /** Key ids only: never key material. */
    @Override
    public String toString() {
        return "SecretCipher[primary=" + primaryKeyId + ", keys=" + keys.keySet() + "]";
    }
}
