package dev.conduit.core.testing;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A token store whose database can be switched off: then every operation fails as a JDBC store's does. */
public final class SwitchableTokenStore implements TokenStore {

    private final TokenStore delegate;
    private volatile boolean available = true;

    public SwitchableTokenStore(TokenStore delegate) {
        this.delegate = delegate;
    }

    public void setAvailable(boolean available) {
        this.available = available;
    }

    private void check() {
        if (!available) {
            throw new ConduitException(ErrorCode.STORE_UNAVAILABLE,
                    "Database error: could not reach the database (SQLSTATE 08001)");
        }
    }

    @Override
    public Optional<TokenSet> load(TokenKey key) {
        check();
        return delegate.load(key);
    }

    @Override
    public void save(TokenKey key, TokenSet tokens) {
        check();
        delegate.save(key, tokens);
    }

    @Override
    public void remove(TokenKey key) {
        check();
        delegate.remove(key);
    }

    @Override
    public void removeAll(String systemName) {
        check();
        delegate.removeAll(systemName);
    }

    @Override
    public Optional<TokenSet> update(TokenKey key, UnaryOperator<Optional<TokenSet>> change) {
        check();
        return delegate.update(key, change);
    }
}
