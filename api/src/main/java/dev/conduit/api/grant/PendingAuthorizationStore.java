package dev.conduit.api.grant;

import java.time.Instant;
import java.util.Optional;

/** Keeps pending authorizations until they are used or expire; each state can be marked used exactly once. */
public interface PendingAuthorizationStore {

    void save(PendingAuthorization pending);

    /** The pending authorization for a state, used or not, until it is purged. */
    Optional<PendingAuthorization> find(String state);

    /** Marks the state used; atomic: true for exactly one caller, false if already used or unknown. */
    boolean markUsed(String state);

    /** Forgets every entry that expired before {@code now}. */
    void purgeExpired(Instant now);
}
