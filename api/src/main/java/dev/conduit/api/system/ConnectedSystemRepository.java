package dev.conduit.api.system;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.util.List;
import java.util.Optional;

/** Keeps the registered connected systems and their status; updates are optimistic on {@link ConnectedSystem#version()}. */
public interface ConnectedSystemRepository {

    Optional<ConnectedSystem> find(String name);

    /**
     * The system as stored at this moment, past any cache: what a token obtained for an older configuration is checked
     * against before it is stored (another server may have edited or deleted the system meanwhile).
     */
    default Optional<ConnectedSystem> findCurrent(String name) {
        return find(name);
    }

    /** The system, or {@link #unknown(String) UNKNOWN_SYSTEM}. */
    default ConnectedSystem get(String name) {
        return find(name).orElseThrow(() -> unknown(name));
    }

    /** The one error for a name no system has: {@code UNKNOWN_SYSTEM}, field {@code name}, naming the system. */
    static ConduitException unknown(String name) {
        return ConduitException.builder(ErrorCode.UNKNOWN_SYSTEM, "no connected system is named '" + name + "'")
                .field("name").system(name).build();
    }

    /** Every system, by name. */
    List<ConnectedSystem> findAll();

    /**
     * Stores a new system.
     *
     * @return the stored system, version 1
     * @throws dev.conduit.api.ConduitException {@code DUPLICATE_SYSTEM} when the name is taken
     */
    ConnectedSystem create(ConnectedSystem system);

    /**
     * Replaces a system whose stored version equals {@code system.version()}.
     *
     * @return the stored system, its version increased by one
     * @throws dev.conduit.api.ConduitException {@code UNKNOWN_SYSTEM}, or {@code CONCURRENT_MODIFICATION} when the
     *                                          versions differ
     */
    ConnectedSystem update(ConnectedSystem system);

    /** Removes a system and its status; false when there was none. */
    boolean delete(String name);

    /** The system's status; {@code OK} for a system never marked otherwise. */
    SystemStatus status(String name);

    void setStatus(String name, SystemStatus status);
}
