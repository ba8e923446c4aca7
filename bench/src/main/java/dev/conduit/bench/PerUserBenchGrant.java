package dev.conduit.bench;

import dev.conduit.api.grant.AcquiringGrant;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.TokenSet;
import java.util.Map;

/**
 * A per-user grant for the per-user scale benchmark: it keys tokens by user as the authorization code grant does,
 * without the browser step. Tokens are put in through {@link dev.conduit.core.lifecycle.TokenService#accept}; should
 * one be missing, it asks the loopback token endpoint, naming the user.
 */
final class PerUserBenchGrant implements AcquiringGrant {

    static final String TYPE = "bench_per_user";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TokenScope tokenScope() {
        return TokenScope.PER_USER;
    }

    @Override
    public TokenSet acquire(GrantRequest request) {
        return request.tokenEndpoint().requestToken(
                Map.of("grant_type", "client_credentials", "subject", request.subject().userId()));
    }
}
