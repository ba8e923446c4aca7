package dev.conduit.core.invalidation;

/** Forgets what it holds in memory of an {@link Invalidation}; must be quick and must not throw (no I/O). */
@FunctionalInterface
public interface InvalidationListener {

    void forget(Invalidation invalidation);
}
