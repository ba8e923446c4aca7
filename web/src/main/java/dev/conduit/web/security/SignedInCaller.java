package dev.conduit.web.security;

import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.util.Objects;
import java.util.Set;

/**
 * Who signed in to the console, kept in the HTTP session: the caller's name and the groups the roles are bound to.
 * Holds no password and no token.
 *
 * @param name    the caller name requests run as (the user's Conduit identity, e.g. {@code alice})
 * @param groups  the groups bound to the roles ({@code conduit-admins}, {@code conduit-users})
 * @param via     how they signed in: {@code password} (the server's registry) or {@code oidc}
 */
public record SignedInCaller(String name, Set<String> groups, String via) implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String SESSION_ATTRIBUTE = "dev.conduit.signedInCaller";

    public SignedInCaller {
        Objects.requireNonNull(name, "name");
        groups = Set.copyOf(groups);
        Objects.requireNonNull(via, "via");
    }

    /** The caller signed in with this session, if any. */
    static SignedInCaller of(HttpSession session) {
        if (session == null) {
            return null;
        }
        try {
            return session.getAttribute(SESSION_ATTRIBUTE) instanceof SignedInCaller caller ? caller : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }
}
