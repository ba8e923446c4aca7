package dev.conduit.api.grant;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * A PKCE code verifier: 43 to 128 unreserved characters. Only S256 is offered; there is no {@code plain}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.1">RFC 7636 section 4.1</a>
 */
public record CodeVerifier(String value) {

    public static final String METHOD = "S256";

    public CodeVerifier {
        Objects.requireNonNull(value, "codeVerifier");
        if (value.length() < 43 || value.length() > 128 || !value.matches("[A-Za-z0-9._~-]+")) {
            // Conduit makes every verifier itself: another one is a defect, not a person's input
            throw new ConduitException(ErrorCode.INTERNAL_ERROR,
                    "a code verifier is 43 to 128 characters of [A-Za-z0-9._~-]");
        }
    }

    /** BASE64URL(SHA256(ASCII(verifier))), RFC 7636 section 4.2. */
    public String challenge() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "CodeVerifier[******]";
    }
}
