package dev.conduit.web.store;

import java.util.Base64;

/** Changes stored ciphertext the way an attacker with write access to the database could. */
final class Tamper {

    private Tamper() {
    }

    /**
     * The ciphertext ({@code v1.<keyId>.<base64url(iv || ciphertext || tag)>}) with one bit flipped in one byte of the
     * encrypted value, leaving the version, key id and encoding intact.
     */
    static String flipOneByte(String sealed) {
        int lastDot = sealed.lastIndexOf('.');
        byte[] payload = Base64.getUrlDecoder().decode(sealed.substring(lastDot + 1));
        payload[payload.length / 2] ^= 0x01;
        String tampered = sealed.substring(0, lastDot + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
        if (tampered.equals(sealed)) {
            throw new AssertionError("tampering changed nothing");
        }
        return tampered;
    }
}
