package dev.conduit.core.lifecycle;

import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.Scope;
import java.time.Instant;
import java.util.Objects;

/**
 * Where one user stands with one per-user connected system. Never holds a token.
 *
 * @param systemName the connected system
 * @param status     authorized, authorization required, or the system is in error
 * @param scope      the scope granted when {@code AUTHORIZED}, else empty
 * @param expiresAt  when the current access token expires (a refresh token renews it), when {@code AUTHORIZED}
 * @param code       why, when {@code AUTHORIZATION_REQUIRED} or {@code ERROR}
 * @param reason     what a person reads: the system's disabled reason when {@code ERROR}
 */
public record AuthorizationStatus(String systemName, Status status, Scope scope, Instant expiresAt, ErrorCode code,
        String reason) {

    /** The user's standing with the system. */
    public enum Status {
        AUTHORIZED,
        AUTHORIZATION_REQUIRED,
        ERROR
    }

    public AuthorizationStatus {
        Objects.requireNonNull(systemName, "systemName");
        Objects.requireNonNull(status, "status");
        scope = scope == null ? Scope.EMPTY : scope;
        if (status == Status.AUTHORIZED) {
            Objects.requireNonNull(expiresAt, "expiresAt");
        } else {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public static AuthorizationStatus authorized(String systemName, Scope scope, Instant expiresAt) {
        return new AuthorizationStatus(systemName, Status.AUTHORIZED, scope, expiresAt, null, null);
    }

    public static AuthorizationStatus authorizationRequired(String systemName) {
        return new AuthorizationStatus(systemName, Status.AUTHORIZATION_REQUIRED, Scope.EMPTY, null,
                ErrorCode.AUTHORIZATION_REQUIRED, "the user has not authorized " + systemName + ", or must authorize again");
    }

    public static AuthorizationStatus error(String systemName, ErrorCode code, String reason) {
        return new AuthorizationStatus(systemName, Status.ERROR, Scope.EMPTY, null, code, reason);
    }

    /** What a person should do, unless authorized. */
    public String hint() {
        return code == null ? null : code.hint();
    }
}
