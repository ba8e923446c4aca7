package dev.conduit.core.lifecycle;

import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The tokens {@link TokenService} holds in memory, by system name and then by subject; reads take no lock and
 * allocate nothing.
 *
 * <p>Why two levels rather than one map by {@link TokenKey}: a lookup by {@code TokenKey} needs a key object per call,
 * and the JIT does not remove it (the record's {@code equals} and {@code hashCode} run through method handles that
 * defeat escape analysis), which cost 24 bytes and about a third of the time of every cache hit. Here the application's
 * token of a system sits in its own slot, one map lookup away, and a user's token two lookups away, by user id.
 *
 * @param <V> what is held per token
 */
final class TokenCache<V> {

    private final ConcurrentHashMap<String, SystemTokens<V>> bySystem = new ConcurrentHashMap<>();

    /** One system's tokens: the application's, and each user's by user id. */
    private static final class SystemTokens<V> {
        private static final VarHandle APPLICATION;

        static {
            try {
                APPLICATION = MethodHandles.lookup().findVarHandle(SystemTokens.class, "application", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile V application;
        private final ConcurrentHashMap<String, V> users = new ConcurrentHashMap<>();

        V get(Subject subject) {
            return subject.isApplication() ? application : users.get(subject.userId());
        }

        void put(Subject subject, V value) {
            if (subject.isApplication()) {
                application = value;
            } else {
                users.put(subject.userId(), value);
            }
        }

        void removeIf(Subject subject, Predicate<V> condition) {
            if (subject.isApplication()) {
                V current = application;
                if (current != null && condition.test(current)) {
                    // only if nobody replaced it meanwhile: a newer token must survive
                    APPLICATION.compareAndSet(this, current, null);
                }
            } else {
                users.computeIfPresent(subject.userId(), (id, current) -> condition.test(current) ? null : current);
            }
        }
    }

    /** The value held for {@code subject} of {@code systemName}, or {@code null}. */
    V get(String systemName, Subject subject) {
        if (systemName == null || subject == null) {
            return null;
        }
        SystemTokens<V> tokens = bySystem.get(systemName);
        return tokens == null ? null : tokens.get(subject);
    }

    void put(TokenKey key, V value) {
        bySystem.computeIfAbsent(key.systemName(), name -> new SystemTokens<>()).put(key.subject(), value);
    }

    /** Forgets the value of {@code key} if {@code condition} holds for it, atomically. */
    void removeIf(TokenKey key, Predicate<V> condition) {
        SystemTokens<V> tokens = bySystem.get(key.systemName());
        if (tokens != null) {
            tokens.removeIf(key.subject(), condition);
        }
    }

    void remove(TokenKey key) {
        removeIf(key, value -> true);
    }

    /** Forgets every token of a system. */
    void removeSystem(String systemName) {
        bySystem.remove(systemName);
    }
}
