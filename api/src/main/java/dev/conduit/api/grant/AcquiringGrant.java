package dev.conduit.api.grant;

import dev.conduit.api.token.TokenSet;

/** Obtains a new token without user interaction, through the token endpoint core lends it; never caches. */
public interface AcquiringGrant extends Grant {

    /** Obtains a new token for {@code request.subject()}; core fills what the answer leaves out (RFC 6749 section 5.1). */
    TokenSet acquire(GrantRequest request);
}
