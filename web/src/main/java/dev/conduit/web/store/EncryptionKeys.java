package dev.conduit.web.store;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.crypto.SecretCipher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Finds the key that encrypts secrets and tokens at rest, and returns the cipher for it.
 *
 * <p>The configured value ({@code conduit.encryption.key}, or the environment variable {@code CONDUIT_ENCRYPTION_KEY})
 * is either one base64 AES-256 key, which gets the key id {@value #DEFAULT_KEY_ID}, or a comma-separated list of
 * {@code keyId:base64key} whose first entry encrypts and all decrypt (key rotation: put the new key first, keep the
 * old ones until every value was written again).
 *
 * <p>When nothing is configured, a key is generated on the first start and kept in {@value #KEY_FILE_NAME} in the
 * given directory (owner read and write only, where the file system has POSIX permissions), then reused on every
 * start; each time a warning says where it is. The key itself is never logged.
 */
public final class EncryptionKeys {

    /** The MicroProfile Config property; MicroProfile Config also maps it from {@code CONDUIT_ENCRYPTION_KEY}. */
    public static final String PROPERTY = "conduit.encryption.key";

    /** The key id of a configured value that is a single key without an id. */
    public static final String DEFAULT_KEY_ID = "k1";

    /** The file that keeps a generated key, in the directory given to the constructor. */
    public static final String KEY_FILE_NAME = "conduit-encryption.key";

    private static final Logger LOG = Logger.getLogger(EncryptionKeys.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path keyDirectory;

    /** @param keyDirectory where a generated key is kept when none is configured (the server's directory) */
    public EncryptionKeys(Path keyDirectory) {
        this.keyDirectory = Objects.requireNonNull(keyDirectory, "keyDirectory");
    }

    /** The file a generated key is kept in. */
    public Path keyFile() {
        return keyDirectory.resolve(KEY_FILE_NAME);
    }

    /**
     * The cipher for the configured keys, or for the generated key when {@code configured} is empty or blank.
     *
     * @throws ConduitException {@code INVALID_CONFIGURATION} naming {@value #PROPERTY} when the value is malformed (the
     *                          message never quotes it), or {@code INTERNAL_ERROR} when the key file cannot be read
     *                          or written
     */
    public SecretCipher cipher(Optional<String> configured) {
        Optional<String> value = configured.map(String::strip).filter(v -> !v.isEmpty());
        if (value.isPresent()) {
            return parse(value.get(), "the configuration");
        }
        return generatedKey();
    }

    private SecretCipher generatedKey() {
        Path file = keyFile();
        try {
            if (Files.notExists(file)) {
                String entry = DEFAULT_KEY_ID + ":" + SecretCipher.generateKey();
                if (create(file, entry)) {
                    LOG.warning(() -> "No encryption key is configured (" + PROPERTY + " or CONDUIT_ENCRYPTION_KEY):"
                            + " generated one and kept it in " + file.toAbsolutePath() + ". Secrets and tokens"
                            + " stored in the database can only be read with this file. In production, set "
                            + PROPERTY + " to the key id and key this file holds, from a secret store.");
                    return parse(entry, file.toString());
                }
            }
            String entry = Files.readString(file, StandardCharsets.US_ASCII).strip();
            LOG.warning(() -> "No encryption key is configured (" + PROPERTY + " or CONDUIT_ENCRYPTION_KEY): using"
                    + " the key generated earlier in " + file.toAbsolutePath() + ". In production, set " + PROPERTY
                    + " from a secret store.");
            return parse(entry, file.toString());
        } catch (IOException e) {
            throw ConduitException.builder(ErrorCode.INTERNAL_ERROR, "The encryption key file " + file.toAbsolutePath()
                    + " cannot be read or written: set " + PROPERTY + ", or give the server write access to "
                    + keyDirectory.toAbsolutePath()).cause(e).build();
        }
    }

    /**
     * Creates the key file with owner-only permissions from the start (never readable by others, not even briefly);
     * false when another process created it first.
     */
    private static boolean create(Path file, String entry) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        try {
            Files.createFile(file, attributes);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        Files.writeString(file, entry + System.lineSeparator(), StandardCharsets.US_ASCII,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        return true;
    }

    /** Parses {@code base64key} or {@code id:base64key[,id2:base64key2...]}; {@code source} names where it came from. */
    static SecretCipher parse(String value, String source) {
        Map<String, String> keys = new LinkedHashMap<>();
        String primary = null;
        for (String part : value.split(",")) {
            String entry = part.strip();
            int colon = entry.indexOf(':');
            String id = colon < 0 ? DEFAULT_KEY_ID : entry.substring(0, colon).strip();
            String key = colon < 0 ? entry : entry.substring(colon + 1).strip();
            if (id.isEmpty() || key.isEmpty()) {
                throw invalid(source, "each entry is keyId:base64key, or the value is one base64 key");
            }
            if (keys.put(id, key) != null) {
                throw invalid(source, "the key id '" + id + "' appears twice");
            }
            primary = primary == null ? id : primary;
        }
        if (primary == null) {
            throw invalid(source, "no key is given");
        }
        try {
            return SecretCipher.fromBase64(primary, keys);
        } catch (ConduitException e) {
            // the cipher names the key id at fault, never the key
            throw invalid(source, e.getMessage());
        }
    }

    private static ConduitException invalid(String source, String why) {
        return ConduitException.builder(ErrorCode.INVALID_CONFIGURATION, PROPERTY + ": the encryption key from "
                + source + " is malformed: " + why).field(PROPERTY).build();
    }
}
