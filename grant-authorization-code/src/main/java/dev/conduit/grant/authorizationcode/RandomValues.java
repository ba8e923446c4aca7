package dev.conduit.grant.authorizationcode;

import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.grant.State;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes the unguessable values of an authorization request from one shared {@link SecureRandom}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-10.10">RFC 6749 section 10.10</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-7.1">RFC 7636 section 7.1</a>
 */
final class RandomValues {

    /** 256 bits: twice the 128 bits RFC 6749 section 10.10 asks of state, and 43 base64url characters. */
    static final int STATE_BYTES = 32;

    /** 32 octets encode to a 43-character verifier, the length RFC 7636 section 4.1 recommends. */
    static final int VERIFIER_BYTES = 32;

    // SecureRandom is thread-safe; one instance seeds once instead of per request
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private RandomValues() {
    }

    /** A fresh {@code state}: 256 random bits, base64url without padding. */
    static State newState() {
        return new State(randomBase64Url(STATE_BYTES));
    }

    /** A fresh PKCE verifier: 256 random bits as 43 base64url characters, all of them unreserved. */
    static CodeVerifier newCodeVerifier() {
        return new CodeVerifier(randomBase64Url(VERIFIER_BYTES));
    }

    private static String randomBase64Url(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return BASE64URL.encodeToString(random);
    }
}
