package dev.conduit.api.grant;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.util.Objects;

/**
 * The {@code state} of an authorization request: at least 128 random bits, base64url without padding.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-10.12">RFC 6749 section 10.12</a>
 */
public record State(String value) {

    /** 128 bits take 22 base64url characters. */
    public static final int MIN_LENGTH = 22;

    public State {
        Objects.requireNonNull(value, "state");
        if (value.length() < MIN_LENGTH || value.length() > 256 || !value.matches("[A-Za-z0-9_-]+")) {
            throw ConduitException.builder(ErrorCode.STATE_UNKNOWN, "state: must be 22 to 256 base64url characters")
                    .field("state").build();
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
