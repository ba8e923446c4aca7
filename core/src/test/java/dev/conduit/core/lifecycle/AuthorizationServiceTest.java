package dev.conduit.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.grant.InteractiveGrant;
import dev.conduit.api.grant.RevokingGrant;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.State;
import dev.conduit.api.grant.TokenEndpoint;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Scope;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.store.InMemoryConnectedSystemRepository;
import dev.conduit.core.store.InMemoryPendingAuthorizationStore;
import dev.conduit.core.store.InMemoryTokenStore;
import dev.conduit.core.testing.CountingSystemRepository;
import dev.conduit.core.testing.MutableClock;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The service's own rules (state bound to a user, single use, expiry; status; disconnect), with a scripted
 * interactive grant. The real authorization code grant is exercised end to end in its own module.
 */
class AuthorizationServiceTest {

    private static final String SYSTEM = "crm";
    private static final String REDIRECT = "https://conduit.example.com/callback";
    private static final Subject ALICE = Subject.user("alice");
    private static final Subject BOB = Subject.user("bob");

    private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");
    private final InMemoryConnectedSystemRepository systems = new InMemoryConnectedSystemRepository(clock);
    private final InMemoryTokenStore tokens = new InMemoryTokenStore();
    private final ScriptedGrant grant = new ScriptedGrant();
    private final CountingEndpoint endpoint = new CountingEndpoint();
    private final GrantRegistry grants = GrantRegistry.of(grant, new ClientCredentialsGrant());
    private final TokenService tokenService = new TokenService(systems, tokens, grants, s -> endpoint, clock);
    private final AuthorizationService service = new AuthorizationService(systems, tokens,
            new InMemoryPendingAuthorizationStore(clock), grants, s -> endpoint, tokenService, clock);

    AuthorizationServiceTest() {
        systems.create(system(SYSTEM, ScriptedGrant.TYPE).revocationEndpoint("https://idp.example.com/revoke").build());
        systems.create(system("erp", "client_credentials").build());
    }

    private static ConnectedSystem.Builder system(String name, String grantType) {
        return ConnectedSystem.builder().name(name).grantType(grantType)
                .tokenEndpoint("https://idp.example.com/token").authorizationEndpoint("https://idp.example.com/auth")
                .clientId("conduit").clientSecret(Secret.of("client-secret-1")).scope("read write");
    }

    private static Map<String, String> callback(String state) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("state", state);
        parameters.put("code", "the-code");
        return parameters;
    }

    private ConduitException completeFails(Subject user, Map<String, String> callback) {
        ConduitException e = catchThrowableOfType(ConduitException.class, () -> service.complete(user, callback));
        assertThat(e).as("complete must refuse").isNotNull();
        assertThat(grant.completions).as("grant completions").isZero();
        assertThat(endpoint.tokenRequests).as("token requests").isZero();
        return e;
    }

    private TokenSet stored(Instant expiresAt, String refresh) {
        return new TokenSet(Secret.of("at-stored"), "Bearer", clock.instant(), expiresAt, Secret.ofNullable(refresh),
                Scope.parse("read"));
    }

    // ---- begin

    @Test
    void beginWhenUserAsksThenLinkReturnedAndPendingRemembered() {
        AuthorizationRequest request = service.begin(SYSTEM, ALICE, REDIRECT);

        assertThat(request.pending().user()).isEqualTo(ALICE);
        AuthorizationStatus status = service.complete(ALICE, callback(request.pending().state().value()));
        assertThat(status.status()).isEqualTo(AuthorizationStatus.Status.AUTHORIZED);
    }

    @Test
    void completeWhenCallbackIsValidThenSystemReadOnce() {
        CountingSystemRepository counting = new CountingSystemRepository(systems);
        TokenService countingTokens = new TokenService(counting, tokens, grants, s -> endpoint, clock);
        AuthorizationService countingService = new AuthorizationService(counting, tokens,
                new InMemoryPendingAuthorizationStore(clock), grants, s -> endpoint, countingTokens, clock);
        String state = countingService.begin(SYSTEM, ALICE, REDIRECT).pending().state().value();
        counting.resetFinds();

        AuthorizationStatus status = countingService.complete(ALICE, callback(state));

        assertThat(status.status()).isEqualTo(AuthorizationStatus.Status.AUTHORIZED);
        assertThat(counting.finds()).as("reads of the connected system while completing").hasValue(1);
        assertThat(tokens.load(new TokenKey(SYSTEM, ALICE))).isPresent();
    }

    @Test
    void beginWhenSystemIsPerAppThenWrongSubject() {
        ConduitException e = catchThrowableOfType(ConduitException.class, () -> service.begin("erp", ALICE, REDIRECT));

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_SUBJECT);
        assertThat(grant.begins).isZero();
    }

    @Test
    void beginWhenSubjectIsApplicationThenWrongSubject() {
        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> service.begin(SYSTEM, Subject.application(), REDIRECT));

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_SUBJECT);
        assertThat(grant.begins).isZero();
    }

    @Test
    void beginWhenSystemUnknownThenUnknownSystem() {
        ConduitException e = catchThrowableOfType(ConduitException.class, () -> service.begin("nope", ALICE, REDIRECT));

        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SYSTEM);
    }

    // ---- complete: the state checks, all before the grant or any token request

    @Test
    void completeWhenStateMissingThenStateMissing() {
        Map<String, String> noState = callback("x");
        noState.remove("state");

        assertThat(completeFails(ALICE, noState).code()).isEqualTo(ErrorCode.STATE_MISSING);
    }

    @Test
    void completeWhenStateNeverIssuedThenStateUnknown() {
        service.begin(SYSTEM, ALICE, REDIRECT);

        assertThat(completeFails(ALICE, callback("never-issued-state-0000000")).code())
                .isEqualTo(ErrorCode.STATE_UNKNOWN);
    }

    @Test
    void completeWhenLinkExpiredThenStateExpired() {
        String state = service.begin(SYSTEM, ALICE, REDIRECT).pending().state().value();
        clock.advance(ScriptedGrant.LIFETIME);

        ConduitException e = completeFails(ALICE, callback(state));

        assertThat(e.code()).isEqualTo(ErrorCode.STATE_EXPIRED);
        assertThat(e.systemName()).contains(SYSTEM);
    }

    @Test
    void completeWhenAnotherUsersStateThenMismatchAndOwnerCanStillComplete() {
        String state = service.begin(SYSTEM, ALICE, REDIRECT).pending().state().value();

        assertThat(completeFails(BOB, callback(state)).code()).isEqualTo(ErrorCode.STATE_USER_MISMATCH);

        assertThat(service.complete(ALICE, callback(state)).status()).isEqualTo(AuthorizationStatus.Status.AUTHORIZED);
        assertThat(tokens.load(new TokenKey(SYSTEM, BOB))).isEmpty();
    }

    @Test
    void completeWhenStateUsedTwiceThenStateReplayedAndOneTokenRequest() {
        String state = service.begin(SYSTEM, ALICE, REDIRECT).pending().state().value();
        service.complete(ALICE, callback(state));
        grant.completions = 0;
        endpoint.tokenRequests = 0;

        assertThat(completeFails(ALICE, callback(state)).code()).isEqualTo(ErrorCode.STATE_REPLAYED);
    }

    @Test
    void completeWhenGrantRefusesCallbackThenStateIsBurntAndErrorNamesTheSystem() {
        String state = service.begin(SYSTEM, ALICE, REDIRECT).pending().state().value();
        grant.refuseNext = new ConduitException(ErrorCode.ISSUER_MISMATCH, "iss: wrong issuer");

        ConduitException first = catchThrowableOfType(ConduitException.class,
                () -> service.complete(ALICE, callback(state)));

        assertThat(first.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
        assertThat(first.systemName()).contains(SYSTEM);
        assertThat(endpoint.tokenRequests).isZero();
        assertThat(catchThrowableOfType(ConduitException.class, () -> service.complete(ALICE, callback(state))).code())
                .isEqualTo(ErrorCode.STATE_REPLAYED);
    }

    @Test
    void completeWhenValidThenTokensStoredForThatUserAndServed() {
        String state = service.begin(SYSTEM, ALICE, REDIRECT).pending().state().value();

        AuthorizationStatus status = service.complete(ALICE, callback(state));

        assertThat(status.scope()).isEqualTo(Scope.parse("read"));
        assertThat(status.toString()).doesNotContain("at-1");
        assertThat(tokenService.accessToken(systems.get(SYSTEM), ALICE).value().reveal()).isEqualTo("at-1");
        assertThat(endpoint.tokenRequests).isEqualTo(1);
    }

    // ---- status

    @Test
    void statusWhenNothingStoredThenAuthorizationRequired() {
        AuthorizationStatus status = service.status(SYSTEM, ALICE);

        assertThat(status.status()).isEqualTo(AuthorizationStatus.Status.AUTHORIZATION_REQUIRED);
        assertThat(status.code()).isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED);
    }

    @Test
    void statusWhenAccessTokenExpiredButRefreshTokenStoredThenAuthorized() {
        tokens.save(new TokenKey(SYSTEM, ALICE), stored(clock.instant().minusSeconds(1), "rt-1"));

        AuthorizationStatus status = service.status(SYSTEM, ALICE);

        assertThat(status.status()).isEqualTo(AuthorizationStatus.Status.AUTHORIZED);
        assertThat(status.scope()).isEqualTo(Scope.parse("read"));
        assertThat(service.status(SYSTEM, BOB).status()).isEqualTo(AuthorizationStatus.Status.AUTHORIZATION_REQUIRED);
    }

    @Test
    void statusWhenAccessTokenExpiredAndNoRefreshTokenThenAuthorizationRequired() {
        tokens.save(new TokenKey(SYSTEM, ALICE), stored(clock.instant().plusSeconds(10), null));
        assertThat(service.status(SYSTEM, ALICE).status()).isEqualTo(AuthorizationStatus.Status.AUTHORIZED);

        clock.advance(Duration.ofSeconds(10));

        assertThat(service.status(SYSTEM, ALICE).status())
                .isEqualTo(AuthorizationStatus.Status.AUTHORIZATION_REQUIRED);
    }

    @Test
    void statusWhenSystemInErrorThenErrorWithItsReason() {
        tokens.save(new TokenKey(SYSTEM, ALICE), stored(clock.instant().plusSeconds(600), "rt-1"));
        systems.setStatus(SYSTEM, SystemStatus.error(ErrorCode.INVALID_CLIENT, "the provider refused the client secret",
                clock.instant()));

        AuthorizationStatus status = service.status(SYSTEM, ALICE);

        assertThat(status.status()).isEqualTo(AuthorizationStatus.Status.ERROR);
        assertThat(status.code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        assertThat(status.reason()).isEqualTo("the provider refused the client secret");
    }

    @Test
    void statusWhenApplicationSubjectThenWrongSubject() {
        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> service.status(SYSTEM, Subject.application()));

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_SUBJECT);
    }

    // ---- disconnect

    @Test
    void disconnectWhenRevocationThrowsThenLocalTokensDeletedAnyway() {
        tokens.save(new TokenKey(SYSTEM, ALICE), stored(clock.instant().plusSeconds(600), "rt-1"));
        tokens.save(new TokenKey(SYSTEM, BOB), stored(clock.instant().plusSeconds(600), "rt-2"));
        grant.revokeFailure = new IllegalStateException("provider exploded");

        service.disconnect(SYSTEM, ALICE);

        assertThat(grant.revoked).containsExactly("rt-1");
        assertThat(tokens.load(new TokenKey(SYSTEM, ALICE))).isEmpty();
        assertThat(tokens.load(new TokenKey(SYSTEM, BOB))).isPresent();
    }

    @Test
    void disconnectWhenNoRevocationEndpointThenNoRevocationAndTokensDeleted() {
        systems.update(systems.find(SYSTEM).orElseThrow().toBuilder().revocationEndpoint(null).build());
        tokens.save(new TokenKey(SYSTEM, ALICE), stored(clock.instant().plusSeconds(600), "rt-1"));

        service.disconnect(SYSTEM, ALICE);

        assertThat(grant.revoked).isEmpty();
        assertThat(tokens.load(new TokenKey(SYSTEM, ALICE))).isEmpty();
    }

    /** Counts token requests; answers each with a fresh token. */
    private static final class CountingEndpoint implements TokenEndpoint {
        int tokenRequests;

        @Override
        public TokenSet requestToken(Map<String, String> parameters) {
            tokenRequests++;
            Instant now = Instant.parse("2030-01-01T00:00:00Z");
            return new TokenSet(Secret.of("at-" + tokenRequests), "Bearer", now, now.plusSeconds(3600),
                    Secret.of("rt-" + tokenRequests), Scope.parse("read"));
        }

        @Override
        public boolean revoke(Secret token, String tokenTypeHint) {
            return true;
        }
    }

    /** An interactive grant that does the least a real one does, and records what it was asked. */
    private static final class ScriptedGrant implements InteractiveGrant, RevokingGrant {
        static final String TYPE = "test_interactive";
        static final Duration LIFETIME = Duration.ofMinutes(10);

        int begins;
        int completions;
        ConduitException refuseNext;
        RuntimeException revokeFailure;
        final List<String> revoked = new ArrayList<>();
        private final AtomicInteger sequence = new AtomicInteger();

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public TokenScope tokenScope() {
            return TokenScope.PER_USER;
        }

        @Override
        public AuthorizationRequest begin(ConnectedSystem system, Subject user, String redirectUri, Clock clock) {
            begins++;
            State state = new State(UUID.randomUUID().toString().replace("-", "") + sequence.incrementAndGet());
            PendingAuthorization pending = new PendingAuthorization(state, system.name(), user,
                    new CodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), redirectUri, null,
                    clock.instant().plus(LIFETIME));
            return new AuthorizationRequest(URI.create("https://idp.example.com/auth?state=" + state), pending);
        }

        @Override
        public TokenSet complete(Map<String, String> callback, PendingAuthorization pending, GrantRequest request) {
            completions++;
            if (refuseNext != null) {
                ConduitException e = refuseNext;
                refuseNext = null;
                throw e;
            }
            return request.tokenEndpoint().requestToken(Map.of("code", callback.get("code")));
        }

        @Override
        public void revoke(GrantRequest request, TokenSet tokens) {
            revoked.add(tokens.refreshToken().reveal());
            if (revokeFailure != null) {
                throw revokeFailure;
            }
        }
    }
}
