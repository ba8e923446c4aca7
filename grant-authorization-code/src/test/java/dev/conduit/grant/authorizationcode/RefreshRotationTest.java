package dev.conduit.grant.authorizationcode;

import static dev.conduit.core.testing.ScriptedResponse.oauthError;
import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static dev.conduit.grant.authorizationcode.AuthorizationFlow.ALICE;
import static dev.conduit.grant.authorizationcode.AuthorizationFlow.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.lifecycle.AccessToken;
import dev.conduit.core.lifecycle.AuthorizationStatus;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.ScriptedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Refresh with single-use rotating refresh tokens: once per expiry, whatever the number of callers. */
class RefreshRotationTest {

    private static final int CALLERS = 100;

    private final AuthorizationFlow flow = new AuthorizationFlow();

    @AfterEach
    void close() {
        flow.close();
    }

    /**
     * A provider whose refresh tokens work once: each refresh answers a new access token and a new refresh token, and
     * a refresh token presented again is {@code invalid_grant}, as Keycloak with {@code revokeRefreshToken} does.
     */
    private static final class RotatingProvider {
        private final Object lock = new Object();
        private String currentRefreshToken;
        private int issued;
        int refreshRequests;
        int invalidGrants;

        ScriptedResponse answer(RecordedRequest request) {
            synchronized (lock) {
                String grantType = request.formParameter("grant_type").orElse("");
                if (grantType.equals("authorization_code")) {
                    currentRefreshToken = "rt-0";
                    return okToken("at-0", 3600, "rt-0");
                }
                refreshRequests++;
                String presented = request.formParameter("refresh_token").orElse("");
                if (!presented.equals(currentRefreshToken)) {
                    invalidGrants++;
                    return oauthError(400, "invalid_grant", "refresh token already used");
                }
                issued++;
                currentRefreshToken = "rt-" + issued;
                return okToken("at-" + issued, 3600, currentRefreshToken);
            }
        }

        String currentRefreshToken() {
            synchronized (lock) {
                return currentRefreshToken;
            }
        }
    }

    private List<AccessToken> callConcurrently(int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<AccessToken>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return flow.tokenService.accessToken(flow.systems.get(flow.systemName()), ALICE);
                }));
            }
            start.countDown();
            List<AccessToken> tokens = new ArrayList<>();
            for (Future<AccessToken> future : futures) {
                tokens.add(future.get(30, TimeUnit.SECONDS));
            }
            return tokens;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void accessTokenWhen100CallersHitExpiredTokenThenOneRefreshAndLastRotatedTokenStored() throws Exception {
        RotatingProvider provider = new RotatingProvider();
        flow.server.handle(provider::answer);
        flow.authorizations.complete(ALICE, flow.callback(flow.begin(ALICE)));
        flow.clock.advance(Duration.ofHours(1));

        List<AccessToken> tokens = callConcurrently(CALLERS);

        Set<String> values = new HashSet<>();
        tokens.forEach(token -> values.add(token.value().reveal()));
        assertThat(provider.refreshRequests).as("refresh requests").isEqualTo(1);
        assertThat(provider.invalidGrants).as("invalid_grant answers").isZero();
        assertThat(values).containsExactly("at-1");
        assertThat(flow.stored(ALICE).orElseThrow().refreshToken().reveal())
                .isEqualTo(provider.currentRefreshToken()).isEqualTo("rt-1");

        // the rotated token was persisted: the next expiry refreshes with it, once again
        flow.clock.advance(Duration.ofHours(1));
        List<AccessToken> second = callConcurrently(CALLERS);

        assertThat(provider.refreshRequests).isEqualTo(2);
        assertThat(provider.invalidGrants).isZero();
        assertThat(second).extracting(token -> token.value().reveal()).containsOnly("at-2");
        assertThat(flow.stored(ALICE).orElseThrow().refreshToken().reveal()).isEqualTo("rt-2");
    }

    @Test
    void accessTokenWhenRefreshResponseHasNoRefreshTokenThenOldOneKept() {
        flow.server.enqueue(okToken("at-0", 3600, "rt-0"), okToken("at-1", 3600), okToken("at-2", 3600));
        flow.authorizations.complete(ALICE, flow.callback(flow.begin(ALICE)));
        flow.clock.advance(Duration.ofHours(1));

        assertThat(flow.tokenService.accessToken(flow.systems.get(flow.systemName()), ALICE).value().reveal()).isEqualTo("at-1");

        assertThat(flow.stored(ALICE).orElseThrow().refreshToken().reveal()).isEqualTo("rt-0");
        flow.clock.advance(Duration.ofHours(1));
        assertThat(flow.tokenService.accessToken(flow.systems.get(flow.systemName()), ALICE).value().reveal()).isEqualTo("at-2");
        List<RecordedRequest> refreshes = flow.server.requests("/token").subList(1, 3);
        assertThat(refreshes).extracting(r -> r.formParameter("refresh_token").orElseThrow())
                .containsExactly("rt-0", "rt-0");
        assertThat(refreshes).allSatisfy(r -> {
            assertThat(r.formParameter("grant_type")).contains("refresh_token");
            assertThat(r.formParameter("scope")).isEmpty();
        });
    }

    @Test
    void accessTokenWhenRefreshResponseHasNoScopeThenGrantedScopeKept() {
        flow.server.enqueue(ScriptedResponse.json(200, "{\"access_token\":\"at-0\",\"token_type\":\"Bearer\","
                + "\"expires_in\":3600,\"refresh_token\":\"rt-0\",\"scope\":\"read\"}"), okToken("at-1", 3600, "rt-1"));
        flow.authorizations.complete(ALICE, flow.callback(flow.begin(ALICE)));
        flow.clock.advance(Duration.ofHours(1));

        assertThat(flow.tokenService.accessToken(flow.systems.get(flow.systemName()), ALICE).scope()).hasToString("read");
        assertThat(flow.stored(ALICE).orElseThrow().scope()).hasToString("read");
    }

    @Test
    void accessTokenWhenRefreshAnswersInvalidGrantThenUsersTokensDeletedAndAuthorizationRequired() {
        flow.server.enqueue(okToken("at-alice", 3600, "rt-alice"), okToken("at-bob", 3600, "rt-bob"),
                oauthError(400, "invalid_grant", "Token is not active"));
        flow.authorizations.complete(ALICE, flow.callback(flow.begin(ALICE)));
        flow.authorizations.complete(BOB, flow.callback(flow.begin(BOB)));
        flow.clock.advance(Duration.ofHours(1));

        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> flow.tokenService.accessToken(flow.systems.get(flow.systemName()), ALICE));

        assertThat(e.code()).isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED);
        assertThat(e.systemName()).contains(flow.systemName());
        assertThat(flow.server.requestCount("/token")).as("no retry of invalid_grant").isEqualTo(3);
        assertThat(flow.stored(ALICE)).isEmpty();
        assertThat(flow.stored(BOB)).isPresent();
        assertThat(flow.authorizations.status(flow.systemName(), ALICE).status())
                .isEqualTo(AuthorizationStatus.Status.AUTHORIZATION_REQUIRED);
        assertThat(flow.systems.status(flow.systemName()).isOk()).as("one user's grant does not disable the system")
                .isTrue();
    }
}
