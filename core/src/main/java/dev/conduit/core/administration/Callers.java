package dev.conduit.core.administration;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.token.Subject;
import java.security.Principal;

/** Who a call is made for, and whether its failure asks that person to authorize (again). */
public final class Callers {

    private Callers() {
    }

    /** The logged-in Conduit user as a token subject; {@code FORBIDDEN} without one. */
    public static Subject user(Principal user) {
        if (user == null || user.getName() == null || user.getName().isBlank()) {
            throw new ConduitException(ErrorCode.FORBIDDEN, "a logged-in Conduit user is required");
        }
        return Subject.user(user.getName());
    }

    /** Whether a per-user token request failed because the user must open an authorization link (again). */
    public static boolean mustAuthorize(ConduitException e) {
        return e.code() == ErrorCode.AUTHORIZATION_REQUIRED || e.code() == ErrorCode.INVALID_GRANT;
    }
}
