package dev.conduit.core.store;

import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Tokens in this JVM's memory, lost at exit: the store of unit tests, of the benchmarks and of an application that
 * embeds the engine without a database. The server keeps tokens in its database ({@code JdbcTokenStore}), also when it
 * runs alone (embedded H2). {@link #update} holds a per-key lock (not the map's bin lock, since the change may wait on
 * a token endpoint), which excludes callers in this JVM only. As the database stores do, {@link #remove} waits for an
 * update of the key, and an update whose system's tokens were all removed meanwhile ({@link #removeAll}) does not
 * store its result.
 */
public final class InMemoryTokenStore implements TokenStore {

    private final ConcurrentMap<TokenKey, TokenSet> tokens = new ConcurrentHashMap<>();
    private final ConcurrentMap<TokenKey, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** How often each system's tokens were all removed: an update that saw this change does not store. */
    private final ConcurrentMap<String, AtomicLong> removals = new ConcurrentHashMap<>();

    @Override
    public Optional<TokenSet> load(TokenKey key) {
        return Optional.ofNullable(tokens.get(key));
    }

    @Override
    public void save(TokenKey key, TokenSet value) {
        Objects.requireNonNull(value, "tokens");
        tokens.put(key, value);
    }

    @Override
    public void remove(TokenKey key) {
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            tokens.remove(key);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void removeAll(String systemName) {
        removals(systemName).incrementAndGet();
        tokens.keySet().removeIf(key -> key.systemName().equals(systemName));
        locks.keySet().removeIf(key -> key.systemName().equals(systemName) && !locks.get(key).isLocked());
    }

    @Override
    public Optional<TokenSet> update(TokenKey key, UnaryOperator<Optional<TokenSet>> change) {
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            long removalsBefore = removals(key.systemName()).get();
            Optional<TokenSet> next = Objects.requireNonNull(change.apply(load(key)), "change result");
            if (removals(key.systemName()).get() == removalsBefore) {
                next.ifPresentOrElse(value -> tokens.put(key, value), () -> tokens.remove(key));
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    private AtomicLong removals(String systemName) {
        return removals.computeIfAbsent(systemName, name -> new AtomicLong());
    }
}
