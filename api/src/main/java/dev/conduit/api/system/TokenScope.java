package dev.conduit.api.system;

/** Whom a connected system's tokens belong to. */
public enum TokenScope {
    /** One token for the whole application (e.g. client credentials). */
    PER_APP,
    /** One token per user, who authorizes once (e.g. authorization code). */
    PER_USER
}
