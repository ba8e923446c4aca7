package dev.conduit.core.store;

import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Tokens in this JVM's memory, lost at exit: the store of unit tests, of the benchmarks and of an application that
 * embeds the engine without a database. The server keeps tokens in its database ({@code JdbcTokenStore}), also when it
 * runs alone (embedded H2). {@link #update} holds a per-key lock (not the map's bin lock, since the change may wait on
 * a token endpoint), which excludes callers in this JVM only.
 */
public final class InMemoryTokenStore implements TokenStore {

    private final ConcurrentMap<TokenKey, TokenSet> tokens = new ConcurrentHashMap<>();
    private final ConcurrentMap<TokenKey, ReentrantLock> locks = new ConcurrentHashMap<>();

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
        tokens.remove(key);
    }

    @Override
    public void removeAll(String systemName) {
        tokens.keySet().removeIf(key -> key.systemName().equals(systemName));
        locks.keySet().removeIf(key -> key.systemName().equals(systemName) && !locks.get(key).isLocked());
    }

    @Override
    public Optional<TokenSet> update(TokenKey key, UnaryOperator<Optional<TokenSet>> change) {
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            Optional<TokenSet> next = Objects.requireNonNull(change.apply(load(key)), "change result");
            next.ifPresentOrElse(value -> tokens.put(key, value), () -> tokens.remove(key));
            return next;
        } finally {
            lock.unlock();
        }
    }
}
