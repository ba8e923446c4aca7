package dev.conduit.api.grant;

import dev.conduit.api.system.ConnectedSystem;

/** Refuses, when a system is saved, a system this grant cannot serve (e.g. no authorization endpoint). */
public interface ValidatingGrant extends Grant {

    /** Throws {@code INVALID_CONFIGURATION} naming the field when the grant cannot serve {@code system}. */
    void validate(ConnectedSystem system);
}
