package dev.conduit.web.problem;

import dev.conduit.api.ErrorCode;

/**
 * The HTTP status each {@link ErrorCode} leaves the REST API with: the code's own status, except where a 401 would be
 * read as "your Conduit login failed".
 */
public final class HttpStatuses {

    private HttpStatuses() {
    }

    /**
     * {@code AUTHORIZATION_REQUIRED} and {@code INVALID_GRANT} mean the user must authorize at the provider, not log in
     * to Conduit again: they answer 403, so that neither a browser's Basic prompt nor an HTTP client's credential retry
     * is triggered. The problem's {@code code} tells them apart from a missing role.
     */
    public static int of(ErrorCode code) {
        return switch (code) {
            case AUTHORIZATION_REQUIRED, INVALID_GRANT -> 403;
            default -> code.httpStatus();
        };
    }
}
