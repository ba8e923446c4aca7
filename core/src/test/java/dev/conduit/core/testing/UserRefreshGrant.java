package dev.conduit.core.testing;

import dev.conduit.api.Secret;
import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.grant.InteractiveGrant;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.RefreshingGrant;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenSet;
import java.time.Clock;
import java.util.Map;

/**
 * A per-user grant for lifecycle tests: tokens come in through {@code TokenService.accept} (as after an authorization)
 * and are refreshed at the token endpoint with {@code grant_type=refresh_token}, as the authorization code grant does.
 */
public final class UserRefreshGrant implements InteractiveGrant, RefreshingGrant {

    public static final String TYPE = "test_user_refresh";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TokenScope tokenScope() {
        return TokenScope.PER_USER;
    }

    @Override
    public TokenSet refresh(GrantRequest request, Secret refreshToken) {
        return request.tokenEndpoint().requestToken(
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken.reveal()));
    }

    @Override
    public AuthorizationRequest begin(ConnectedSystem system, Subject user, String redirectUri, Clock clock) {
        throw new UnsupportedOperationException("not needed by lifecycle tests");
    }

    @Override
    public TokenSet complete(Map<String, String> callbackParameters, PendingAuthorization pending,
            GrantRequest request) {
        throw new UnsupportedOperationException("not needed by lifecycle tests");
    }
}
