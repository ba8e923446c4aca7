package dev.conduit.core.invalidation;

/**
 * Tells every node sharing the store, this one first, to forget what changed: publish after the change is committed,
 * so that a node reading the store again reads the change.
 */
public interface Invalidations {

    /** Delivers {@code invalidation} to this node's listeners at once and to every other node's soon after. */
    void publish(Invalidation invalidation);

    /** Adds a listener of this node: it hears this node's invalidations and every other node's. */
    void subscribe(InvalidationListener listener);

    /** Invalidations within this JVM only: for one server (H2), and for tests. */
    static Invalidations local() {
        return new LocalInvalidations();
    }
}
