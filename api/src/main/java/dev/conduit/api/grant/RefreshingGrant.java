package dev.conduit.api.grant;

import dev.conduit.api.Secret;
import dev.conduit.api.token.TokenSet;

/**
 * Exchanges a stored refresh token for new tokens. Core keeps the old refresh token and the scope granted when the
 * answer leaves them out, and stores a rotated refresh token before anyone sees the new access token.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 section 6</a>
 */
public interface RefreshingGrant extends Grant {

    /** Sends the refresh token and returns the answer as it came. */
    TokenSet refresh(GrantRequest request, Secret refreshToken);
}
