package dev.conduit.api;

import java.util.Objects;

/**
 * An error a server sent in an OAuth error response; every field is stripped to printable ASCII.
 *
 * @param error            the {@code error} code, e.g. {@code invalid_client}
 * @param errorDescription the {@code error_description}, or {@code null}
 * @param errorUri         the {@code error_uri}, or {@code null}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 section 5.2</a>
 */
public record OAuthError(String error, String errorDescription, String errorUri) {

    private static final int MAX_LENGTH = 500;

    public OAuthError {
        Objects.requireNonNull(error, "error");
        error = strip(error);
        errorDescription = errorDescription == null ? null : strip(errorDescription);
        errorUri = errorUri == null ? null : strip(errorUri);
    }

    /**
     * Keeps only the RFC 6749 error character set (%x20-21 / %x23-5B / %x5D-7E) and drops markup, so a hostile server
     * cannot inject line breaks into logs or script into pages.
     */
    public static String strip(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_LENGTH));
        for (int i = 0; i < value.length() && out.length() < MAX_LENGTH; i++) {
            char c = value.charAt(i);
            boolean allowed = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' && c != '<' && c != '>';
            if (allowed) {
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    @Override
    public String toString() {
        return error + (errorDescription == null ? "" : ": " + errorDescription);
    }
}
