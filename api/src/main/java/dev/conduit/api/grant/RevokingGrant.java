package dev.conduit.api.grant;

import dev.conduit.api.token.TokenSet;

/**
 * Revokes what the provider issued, where it can; the caller deletes the local tokens whatever happens.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009">RFC 7009</a>
 */
public interface RevokingGrant extends Grant {

    /** Asks the provider to revoke {@code tokens}; best effort, never throws for a refusal. */
    void revoke(GrantRequest request, TokenSet tokens);
}
