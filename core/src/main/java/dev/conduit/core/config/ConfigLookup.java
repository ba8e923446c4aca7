package dev.conduit.core.config;

import java.util.Optional;
import java.util.Set;

/** Reads configuration properties (MicroProfile Config in the server, a map in tests). */
public interface ConfigLookup {

    /** The value of a property, resolved now: environment variables and property expressions apply. */
    Optional<String> get(String key);

    /** Every property name known, to find the systems and the keys under a prefix. */
    Set<String> names();
}
