package dev.conduit.core.lifecycle;

import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import dev.conduit.core.http.TokenEndpointFactory;
import java.time.Clock;

/**
 * Serves access tokens: from memory when fresh, else once per key through the store's exclusive update, refreshing
 * ahead of expiry and retrying with backoff within the system's retry policy.
 */
public final class TokenService {

    public TokenService(ConnectedSystemRepository systems, TokenStore store, GrantRegistry grants,
            TokenEndpointFactory endpoints, Clock clock) {
        throw new UnsupportedOperationException("being written");
    }

    /** A valid access token of {@code systemName} for {@code subject}. */
    public AccessToken accessToken(String systemName, Subject subject) {
        throw new UnsupportedOperationException("being written");
    }

    /** Forgets {@code rejected} if it is still the current token, so the next call fetches; true if it was current. */
    public boolean invalidate(String systemName, Subject subject, AccessToken rejected) {
        throw new UnsupportedOperationException("being written");
    }

    /** Obtains a new application token now, ignoring the cache and an ERROR status; success puts the system back to OK. */
    public AccessToken test(String systemName) {
        throw new UnsupportedOperationException("being written");
    }

    /** Stores tokens obtained elsewhere, e.g. by completing an authorization. */
    public void accept(String systemName, Subject subject, TokenSet tokens) {
        throw new UnsupportedOperationException("being written");
    }

    /** Forgets and removes every token of a system (edited or deleted). */
    public void discard(String systemName) {
        throw new UnsupportedOperationException("being written");
    }

    /** Forgets and removes one subject's token. */
    public void discard(String systemName, Subject subject) {
        throw new UnsupportedOperationException("being written");
    }
}
