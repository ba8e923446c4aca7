package dev.conduit.api;

/**
 * Who a failure belongs to, and therefore who suffers from it: a failure never spreads beyond its scope. Each
 * {@link ErrorCode} names its scope; this is the one place that says what each scope does.
 */
public enum FailureScope {

    /** The request itself was wrong or not allowed. */
    REQUEST("Only this request is refused; nothing is disabled and no token is touched."),

    /** One user's authorization (refused, revoked, never given). */
    USER("Only this user's calls fail until the user authorizes again; other users and the system are untouched."),

    /**
     * The connected system's provider answered a token request with a failure. Whether the system is disabled depends
     * on whose token was asked for, since a user's refresh must never take the system away from everyone else.
     */
    PROVIDER("A per-app system whose token cannot be acquired is disabled: at once when the answer cannot cure itself,"
            + " after its retry attempts otherwise; a user's refresh failure fails only that user's call."),

    /** The connected system's client itself is refused, or the system was disabled for that reason. */
    SYSTEM("The connected system is disabled for every user until an administrator corrects it and tests it."),

    /** Conduit or one of its own dependencies (its database) failed. */
    CONDUIT("The call fails; nothing is disabled; Conduit recovers by itself once the dependency answers again.");

    private final String effect;

    FailureScope(String effect) {
        this.effect = effect;
    }

    /** What a failure of this scope does beyond failing the call that met it. */
    public String effect() {
        return effect;
    }
}
