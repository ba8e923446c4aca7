package dev.conduit.core.lifecycle;

import static dev.conduit.core.testing.ScriptedResponse.oauthError;
import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static dev.conduit.core.testing.ScriptedResponse.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.endpoint.HttpTokenEndpointFactory;
import dev.conduit.core.integration.IntegrationClient;
import dev.conduit.core.integration.IntegrationRequest;
import dev.conduit.core.integration.IntegrationResponse;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import dev.conduit.core.testing.UserRefreshGrant;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure stays where it belongs: a user's refresh failure fails that user's call only, a resource server's
 * rejection cannot make Conduit request tokens per call, a provider's Retry-After is waited out without a disable, and
 * a still-valid token is served when its renewal fails. Each case asserts the code and the token requests made.
 */
class FailureIsolationTest {

    private static final String APP_SYSTEM = TestSystems.SYSTEM_NAME;
    private static final String USER_SYSTEM = "calendar";
    private static final Subject APP = Subject.application();
    private static final Subject ALICE = Subject.user("alice");
    private static final Subject BOB = Subject.user("bob");
    private static final String TOKEN = "/token";
    private static final String ORDERS = "/api/orders/42";

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final List<Duration> sleeps = new ArrayList<>();
    private HostileTokenServer server;
    private InMemoryConnectedSystemRepository systems;
    private InMemoryTokenStore store;
    private TokenService service;
    private IntegrationClient client;

    @BeforeEach
    void setUp() {
        server = HostileTokenServer.start();
        systems = new InMemoryConnectedSystemRepository(clock);
        systems.create(TestSystems.clientCredentials(server).build());
        systems.create(TestSystems.clientCredentials(server).name(USER_SYSTEM).grantType(UserRefreshGrant.TYPE)
                .build());
        store = new InMemoryTokenStore();
        service = new TokenService(systems, store, GrantRegistry.of(new ClientCredentialsGrant(),
                new UserRefreshGrant()), new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(),
                TestSystems.fastSettings(), clock), clock, sleeps::add);
        client = new IntegrationClient(systems, service, TestSystems.loopbackPolicy(), TestSystems.fastSettings());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static ConduitException failure(Runnable call) {
        try {
            call.run();
        } catch (ConduitException e) {
            return e;
        }
        throw new AssertionError("expected a ConduitException");
    }

    /** A user's token as an authorization leaves it, expiring {@code expiresIn} from now. */
    private void authorized(Subject user, String access, String refresh, Duration expiresIn) {
        Instant expiresAt = clock.instant().plus(expiresIn);
        service.accept(systems.get(USER_SYSTEM), user, new TokenSet(Secret.of(access), "Bearer",
                expiresAt.minus(Duration.ofHours(1)), expiresAt, Secret.ofNullable(refresh), Scope.parse("read")));
    }

    private boolean ok(String system) {
        return systems.status(system).isOk();
    }

    // ------------------------------------------------------------------------------------------------ amplification

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Rejection.class)
    void invokeWhen100CallsAreRejectedThenAtMostOneTokenRequestPerRenewalWindow(Rejection rejection) {
        server.path(TOKEN).setDefault(okToken("tok", 3600));
        server.path(ORDERS).setDefault(status(rejection.status));

        for (int call = 0; call < 100; call++) {
            IntegrationResponse response = client.invoke(APP_SYSTEM, APP, IntegrationRequest.get("orders/42"));
            assertThat(response.status()).isEqualTo(rejection.status);
        }

        assertThat(server.requestCount(TOKEN)).as("the first token only").isEqualTo(1);
        assertThat(server.requestCount(ORDERS)).as("no retry within the window").isEqualTo(100);

        clock.advance(TokenService.DEFAULT_RENEWAL_WINDOW.plusSeconds(1));
        for (int call = 0; call < 100; call++) {
            client.invoke(APP_SYSTEM, APP, IntegrationRequest.get("orders/42"));
        }

        assertThat(server.requestCount(TOKEN)).as("one renewal in the second window").isEqualTo(2);
        assertThat(server.requestCount(ORDERS)).isEqualTo(100 + 100 + 1);
        assertThat(ok(APP_SYSTEM)).isTrue();
        assertThat(service.accessToken(systems.get(APP_SYSTEM), APP).value().reveal()).as("nothing deleted").isEqualTo("tok");
        assertThat(server.requestCount(TOKEN)).isEqualTo(2);
    }

    enum Rejection {
        UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404);

        final int status;

        Rejection(int status) {
            this.status = status;
        }
    }

    @Test
    void invokeWhenAUsersTokenWithoutRefreshTokenIsRejectedThenItIsKeptAndNoTokenRequest() {
        authorized(ALICE, "at-alice", null, Duration.ofHours(1));
        server.path(ORDERS).setDefault(status(403));

        IntegrationResponse response = client.invoke(USER_SYSTEM, ALICE, IntegrationRequest.get("orders/42"));
        clock.advance(Duration.ofMinutes(5));
        client.invoke(USER_SYSTEM, ALICE, IntegrationRequest.get("orders/42"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(store.load(new TokenKey(USER_SYSTEM, ALICE))).as("never deleted for a 403").isPresent();
        assertThat(server.requestCount(TOKEN)).isZero();
        assertThat(server.requestCount(ORDERS)).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------------ user isolation

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = UserFailure.class)
    void accessTokenWhenOneUsersRefreshFailsThenOnlyThatUserFailsAndTheSystemStaysOk(UserFailure failure) {
        authorized(ALICE, "at-alice", "rt-alice", Duration.ofSeconds(-1));
        authorized(BOB, "at-bob", "rt-bob", Duration.ofSeconds(-1));
        server.path(TOKEN).handle(request -> request.formParameter("refresh_token").orElse("").equals("rt-alice")
                ? failure.answer.get() : okToken("at-bob-2", 3600, "rt-bob-2"));

        ConduitException alices = failure(() -> service.accessToken(systems.get(USER_SYSTEM), ALICE));
        int aliceRequests = server.requestCount(TOKEN);
        AccessToken bobs = service.accessToken(systems.get(USER_SYSTEM), BOB);

        assertThat(alices.code()).isEqualTo(failure.code);
        assertThat(alices.systemName()).contains(USER_SYSTEM);
        assertThat(aliceRequests).isEqualTo(failure.requests);
        assertThat(ok(USER_SYSTEM)).as("one user's failure never disables the system").isTrue();
        assertThat(bobs.value().reveal()).isEqualTo("at-bob-2");
        assertThat(server.requestCount(TOKEN)).isEqualTo(failure.requests + 1);
        assertThat(store.load(new TokenKey(USER_SYSTEM, ALICE)).orElseThrow().refreshTokenIfAny())
                .as("Alice keeps her refresh token for a later try").isPresent();
    }

    enum UserFailure {
        SERVER_ERROR(() -> oauthError(500, "server_error", null), ErrorCode.ENDPOINT_UNAVAILABLE, 3),
        TOO_MANY_REQUESTS(() -> oauthError(429, "slow_down", null), ErrorCode.RATE_LIMITED, 3),
        TIMEOUT(ScriptedResponse::hang, ErrorCode.ENDPOINT_UNAVAILABLE, 3),
        INVALID_SCOPE(() -> oauthError(400, "invalid_scope", "scope not allowed"), ErrorCode.INVALID_SCOPE, 1);

        final Supplier<ScriptedResponse> answer;
        final ErrorCode code;
        final int requests;

        UserFailure(Supplier<ScriptedResponse> answer, ErrorCode code, int requests) {
            this.answer = answer;
            this.code = code;
            this.requests = requests;
        }
    }

    @Test
    void accessTokenWhenAUsersRefreshSaysInvalidClientThenTheSystemIsDisabledAtOnce() {
        authorized(ALICE, "at-alice", "rt-alice", Duration.ofSeconds(-1));
        server.path(TOKEN).setDefault(oauthError(401, "invalid_client", "bad secret"));

        ConduitException e = failure(() -> service.accessToken(systems.get(USER_SYSTEM), ALICE));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        assertThat(systems.status(USER_SYSTEM).code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        assertThat(systems.status(USER_SYSTEM).reason()).contains("disabled at once");
        assertThat(server.requestCount(TOKEN)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------------ per-app disable

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AppFailure.class)
    void accessTokenWhenAPerAppTokenCannotBeAcquiredThenDisabledSayingAtOnceOrAfterNAttempts(AppFailure failure) {
        server.path(TOKEN).setDefault(failure.answer.get());

        ConduitException e = failure(() -> service.accessToken(systems.get(APP_SYSTEM), APP));

        assertThat(e.code()).isEqualTo(failure.code);
        assertThat(systems.status(APP_SYSTEM).code()).isEqualTo(failure.code);
        assertThat(systems.status(APP_SYSTEM).reason()).contains(failure.reason);
        assertThat(server.requestCount(TOKEN)).isEqualTo(failure.requests);
        assertThat(failure(() -> service.accessToken(systems.get(APP_SYSTEM), APP)).code()).isEqualTo(ErrorCode.SYSTEM_DISABLED);
        assertThat(server.requestCount(TOKEN)).as("a disabled system makes no request").isEqualTo(failure.requests);
    }

    enum AppFailure {
        INVALID_CLIENT(() -> oauthError(401, "invalid_client", null), ErrorCode.INVALID_CLIENT, 1, "disabled at once"),
        INVALID_SCOPE(() -> oauthError(400, "invalid_scope", null), ErrorCode.INVALID_SCOPE, 1, "disabled at once"),
        SERVER_ERROR(() -> status(500), ErrorCode.ENDPOINT_UNAVAILABLE, 3, "disabled after 3 attempts");

        final Supplier<ScriptedResponse> answer;
        final ErrorCode code;
        final int requests;
        final String reason;

        AppFailure(Supplier<ScriptedResponse> answer, ErrorCode code, int requests, String reason) {
            this.answer = answer;
            this.code = code;
            this.requests = requests;
            this.reason = reason;
        }
    }

    // ------------------------------------------------------------------------------------------------ stale-while-revalidate

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RefreshFailure.class)
    void accessTokenWhenTheRefreshAheadFailsThenTheCurrentTokenIsServedUntilItExpires(RefreshFailure failure) {
        authorized(ALICE, "at-alice", "rt-alice", Duration.ofSeconds(30)); // inside the 60 s refresh lead
        server.path(TOKEN).setDefault(failure.answer.get());

        for (int call = 0; call < 5; call++) {
            assertThat(service.accessToken(systems.get(USER_SYSTEM), ALICE).value().reveal()).isEqualTo("at-alice");
        }

        assertThat(server.requestCount(TOKEN)).as("no request per call: the next try waits a window")
                .isEqualTo(failure.requests);
        assertThat(ok(USER_SYSTEM)).isTrue();
        TokenSet stored = store.load(new TokenKey(USER_SYSTEM, ALICE)).orElseThrow();
        assertThat(stored.accessToken().reveal()).isEqualTo("at-alice");
        assertThat(stored.refreshTokenIfAny().isPresent()).as("refresh token kept").isEqualTo(failure.keepsRefresh);

        clock.advance(Duration.ofSeconds(31));
        if (failure.keepsRefresh) {
            assertThat(failure(() -> service.accessToken(systems.get(USER_SYSTEM), ALICE)).code()).isEqualTo(failure.afterExpiry);
        } else {
            int before = server.requestCount(TOKEN);
            assertThat(failure(() -> service.accessToken(systems.get(USER_SYSTEM), ALICE)).code())
                    .isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED);
            assertThat(server.requestCount(TOKEN)).as("nothing left to refresh with").isEqualTo(before);
        }
        assertThat(ok(USER_SYSTEM)).isTrue();
    }

    enum RefreshFailure {
        /** The provider rotated the refresh token, but its answer came too late. */
        TIMEOUT_AFTER_ROTATION(() -> okToken("at-alice-2", 3600, "rt-alice-2").withDelay(Duration.ofSeconds(2)), 3,
                true, ErrorCode.ENDPOINT_UNAVAILABLE),
        SERVER_ERROR(() -> status(500), 3, true, ErrorCode.ENDPOINT_UNAVAILABLE),
        INVALID_GRANT(() -> oauthError(400, "invalid_grant", "refresh token revoked"), 1, false, null);

        final Supplier<ScriptedResponse> answer;
        final int requests;
        final boolean keepsRefresh;
        final ErrorCode afterExpiry;

        RefreshFailure(Supplier<ScriptedResponse> answer, int requests, boolean keepsRefresh, ErrorCode afterExpiry) {
            this.answer = answer;
            this.requests = requests;
            this.keepsRefresh = keepsRefresh;
            this.afterExpiry = afterExpiry;
        }
    }

    // ------------------------------------------------------------------------------------------------ Retry-After

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = LongWait.class)
    void accessTokenWhenTheProviderAsksToWait120SecondsThenCallsFailFastWithoutRequestsAndNothingIsDisabled(
            LongWait wait) {
        server.path(TOKEN).enqueue(wait.answer.get().withHeader("Retry-After", "120"));
        server.path(TOKEN).setDefault(okToken("after-the-wait", 3600));

        ConduitException first = failure(() -> service.accessToken(systems.get(APP_SYSTEM), APP));
        assertThat(first.code()).isEqualTo(wait.code);
        assertThat(server.requestCount(TOKEN)).isEqualTo(1);

        for (int second = 0; second < 119; second += 7) {
            clock.advance(Duration.ofSeconds(7));
            ConduitException fast = failure(() -> service.accessToken(systems.get(APP_SYSTEM), APP));
            assertThat(fast.code()).isEqualTo(wait.code);
            assertThat(fast.retryAfter()).hasValueSatisfying(left -> assertThat(left)
                    .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(120)));
        }

        assertThat(server.requestCount(TOKEN)).as("no token request inside the window").isEqualTo(1);
        assertThat(ok(APP_SYSTEM)).as("waiting is not a reason to disable").isTrue();
        assertThat(sleeps).as("nobody slept through the wait").isEmpty();
        clock.advance(Duration.ofSeconds(120));
        assertThat(service.accessToken(systems.get(APP_SYSTEM), APP).value().reveal()).isEqualTo("after-the-wait");
        assertThat(server.requestCount(TOKEN)).isEqualTo(2);
    }

    enum LongWait {
        TOO_MANY_REQUESTS(() -> oauthError(429, "slow_down", null), ErrorCode.RATE_LIMITED),
        SERVICE_UNAVAILABLE(() -> status(503), ErrorCode.ENDPOINT_UNAVAILABLE);

        final Supplier<ScriptedResponse> answer;
        final ErrorCode code;

        LongWait(Supplier<ScriptedResponse> answer, ErrorCode code) {
            this.answer = answer;
            this.code = code;
        }
    }
}
