package dev.conduit.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A value that must never be shown: a client secret, an access or refresh token, a key. {@link #toString()} masks it,
 * and the raw value leaves only through {@link #reveal()}, at the point where it goes on the wire.
 */
public final class Secret {

    private static final String MASK = "******";

    private final byte[] utf8;

    private Secret(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** Wraps a value; a {@code null} or empty value is refused. */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret value");
        if (value.isEmpty()) {
            throw ConduitException.invalidField("secret", "must not be empty");
        }
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Wraps a value, or returns {@code null} for {@code null} or empty input. */
    public static Secret ofNullable(String value) {
        return value == null || value.isEmpty() ? null : of(value);
    }

    /** The raw value. Call it only to put the value on the wire or into a cipher. */
    public String reveal() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** The raw value as UTF-8 bytes (a copy). */
    public byte[] revealBytes() {
        return utf8.clone();
    }

    /** Constant-time comparison. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(utf8, other.utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    @Override
    public String toString() {
        return MASK;
    }
}
