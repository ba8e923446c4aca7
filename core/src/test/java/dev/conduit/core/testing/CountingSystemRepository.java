package dev.conduit.core.testing;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Passes everything to another repository and counts the reads of one system, to show what a path reads. */
public final class CountingSystemRepository implements ConnectedSystemRepository {

    private final ConnectedSystemRepository delegate;
    private final AtomicInteger finds = new AtomicInteger();

    public CountingSystemRepository(ConnectedSystemRepository delegate) {
        this.delegate = delegate;
    }

    /** How many times {@link #find} was called since the start or the last {@link #resetFinds}. */
    public AtomicInteger finds() {
        return finds;
    }

    public void resetFinds() {
        finds.set(0);
    }

    @Override
    public Optional<ConnectedSystem> find(String name) {
        finds.incrementAndGet();
        return delegate.find(name);
    }

    @Override
    public List<ConnectedSystem> findAll() {
        return delegate.findAll();
    }

    @Override
    public ConnectedSystem create(ConnectedSystem system) {
        return delegate.create(system);
    }

    @Override
    public ConnectedSystem update(ConnectedSystem system) {
        return delegate.update(system);
    }

    @Override
    public boolean delete(String name) {
        return delegate.delete(name);
    }

    @Override
    public SystemStatus status(String name) {
        return delegate.status(name);
    }

    @Override
    public void setStatus(String name, SystemStatus status) {
        delegate.setStatus(name, status);
    }
}
