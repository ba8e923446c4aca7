package dev.conduit.web.store;

/** Changes stored ciphertext the way an attacker with write access to the database could. */
final class Tamper {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Tamper() {
    }

    /**
     * The ciphertext with one bit of one encoded byte flipped, in the middle of the text: one base64 character there
     * always encodes six whole bits, so the decoded ciphertext differs in exactly one byte.
     */
    static String flipOneByte(String sealed) {
        int middle = sealed.length() / 2;
        while (ALPHABET.indexOf(sealed.charAt(middle)) < 0) {
            middle++;
        }
        char original = sealed.charAt(middle);
        char flipped = ALPHABET.charAt(ALPHABET.indexOf(original) ^ 1);
        return sealed.substring(0, middle) + flipped + sealed.substring(middle + 1);
    }
}
