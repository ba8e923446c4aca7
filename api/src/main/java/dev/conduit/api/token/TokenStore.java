package dev.conduit.api.token;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Keeps issued tokens by {@link TokenKey}; {@link #update} is atomic per key across every node that shares the store. */
public interface TokenStore {

    /** The token stored for the key, if any; a stored value that cannot be read (tampered, other key) is absent. */
    Optional<TokenSet> load(TokenKey key);

    /** Stores the token, replacing any. */
    void save(TokenKey key, TokenSet tokens);

    /** Removes the token for the key, if any. */
    void remove(TokenKey key);

    /** Removes every token of a connected system (its configuration changed, or it was deleted). */
    void removeAll(String systemName);

    /**
     * Runs {@code change} while holding the key exclusively (a per-key lock in memory, a row lock in one database
     * transaction), and stores what it returns: a value replaces the token, empty removes it. If {@code change} throws,
     * nothing changes and the exception propagates. This is what makes one refresh happen once across nodes.
     *
     * @return what {@code change} returned
     */
    Optional<TokenSet> update(TokenKey key, UnaryOperator<Optional<TokenSet>> change);
}
