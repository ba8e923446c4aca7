package dev.conduit.core.audit;

/**
 * What an audit record is about. The names are part of the REST API ({@code GET /api/audit?action=UPDATE}), so they
 * never change meaning.
 */
public enum AuditAction {
    /** An administrator registered a connected system. */
    CREATE,
    /** An administrator replaced a system's configuration; the details name the fields that changed. */
    UPDATE,
    /** An administrator removed a system and its tokens. */
    DELETE,
    /** An administrator put a disabled system back to OK. */
    ENABLE,
    /** An administrator tested a system (a token obtained now, or an authorization link). */
    TEST,
    /** An administrator imported a package of systems. */
    IMPORT,
    /** An administrator re-encrypted the stored secrets and tokens with the newest key. */
    KEY_ROTATION,
    /** A user completed the authorization of a per-user system (or failed to). */
    AUTHORIZE,
    /** A user disconnected a per-user system: revoked and deleted their tokens. */
    DISCONNECT,
    /** Someone sent credentials the user registry refused. */
    LOGIN_FAILED,
    /** A state-changing request that came from another site was refused. */
    CROSS_SITE_REFUSED
}
