package dev.conduit.api.token;

import java.util.Objects;

/** Identifies one stored token: a connected system and the subject it was issued for. */
public record TokenKey(String systemName, Subject subject) {

    public TokenKey {
        Objects.requireNonNull(systemName, "systemName");
        Objects.requireNonNull(subject, "subject");
    }
}
