package dev.conduit.core.store;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import dev.conduit.core.cache.ExpiringMap;
import dev.conduit.core.invalidation.Invalidation;
import dev.conduit.core.invalidation.Invalidations;

/**
 * Keeps the systems another repository read for a short while, so that an integration call does not read, parse and
 * decrypt its connected system from the database each time (a quarter of a call's CPU, measured). Writes through this
 * repository take effect here at once and are published as {@link Invalidation}s, so that every other server forgets
 * its copy as soon as the notification arrives; {@code timeToLive} bounds how long a copy lives should a notification
 * be lost. Status is never cached: it is read on the slow path only, and a disabled system must be seen as such
 * everywhere.
 */
public final class CachingSystemRepository implements ConnectedSystemRepository {

    private final ConnectedSystemRepository delegate;
    private final Invalidations invalidations;
    /** Bounded by the store, not by a count: only systems it holds are kept (a name it does not know is not). */
    private final ExpiringMap<String, ConnectedSystem> entries;
    /** Counts writes: a read that overlapped one does not cache what it read, which may predate the write. */
    private final AtomicLong writes = new AtomicLong();

    /** A cache whose writes are heard in this JVM only (one server). */
    public CachingSystemRepository(ConnectedSystemRepository delegate, Clock clock, Duration timeToLive) {
        this(delegate, clock, timeToLive, Invalidations.local());
    }

    /** A cache that publishes its writes to, and forgets what it hears from, every server on {@code invalidations}. */
    public CachingSystemRepository(ConnectedSystemRepository delegate, Clock clock, Duration timeToLive,
            Invalidations invalidations) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.entries = new ExpiringMap<>(clock, timeToLive, Integer.MAX_VALUE);
        this.invalidations = Objects.requireNonNull(invalidations, "invalidations");
        invalidations.subscribe(this::forget);
    }

    /** Forgets the copies an invalidation names; a read running meanwhile does not cache what it read. */
    private void forget(Invalidation invalidation) {
        if (invalidation.onlySubject().isPresent()) {
            return; // one user's tokens: the system itself did not change
        }
        writes.incrementAndGet();
        invalidation.system().ifPresentOrElse(entries::remove, entries::clear);
    }

    @Override
    public Optional<ConnectedSystem> find(String name) {
        Optional<ConnectedSystem> cached = entries.get(name);
        if (cached.isPresent()) {
            return cached;
        }
        long writesBefore = writes.get();
        Optional<ConnectedSystem> found = delegate.find(name);
        if (found.isPresent() && writes.get() == writesBefore) {
            entries.put(name, found.get());
        } else if (found.isEmpty()) {
            entries.remove(name);
        }
        return found;
    }

    @Override
    public Optional<ConnectedSystem> findCurrent(String name) {
        return delegate.findCurrent(name);
    }

    @Override
    public List<ConnectedSystem> findAll() {
        return delegate.findAll();
    }

    @Override
    public ConnectedSystem create(ConnectedSystem system) {
        return written(system.name(), () -> delegate.create(system));
    }

    @Override
    public ConnectedSystem update(ConnectedSystem system) {
        return written(system.name(), () -> delegate.update(system));
    }

    @Override
    public boolean delete(String name) {
        return written(name, () -> delegate.delete(name));
    }

    @Override
    public SystemStatus status(String name) {
        return delegate.status(name);
    }

    @Override
    public void setStatus(String name, SystemStatus status) {
        delegate.setStatus(name, status);
    }

    private <T> T written(String name, Supplier<T> write) {
        writes.incrementAndGet();
        entries.remove(name);
        try {
            return write.get();
        } finally {
            writes.incrementAndGet();
            entries.remove(name);
            // after the write is committed (or failed: forgetting too much costs one read), for every server
            invalidations.publish(Invalidation.ofSystem(name));
        }
    }
}
