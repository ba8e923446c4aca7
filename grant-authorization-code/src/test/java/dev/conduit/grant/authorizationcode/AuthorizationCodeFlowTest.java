package dev.conduit.grant.authorizationcode;

import static dev.conduit.core.testing.ScriptedResponse.json;
import static dev.conduit.core.testing.ScriptedResponse.oauthError;
import static dev.conduit.core.testing.ScriptedResponse.status;
import static dev.conduit.grant.authorizationcode.AuthorizationFlow.ALICE;
import static dev.conduit.grant.authorizationcode.AuthorizationFlow.BOB;
import static dev.conduit.grant.authorizationcode.AuthorizationFlow.REDIRECT_URI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.Subject;
import dev.conduit.core.lifecycle.AuthorizationStatus;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.RecordedRequest;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The authorization code flow end to end against the test provider: exchange, granted scope, isolation, disconnect. */
class AuthorizationCodeFlowTest {

    private final AuthorizationFlow flow = new AuthorizationFlow();

    @AfterEach
    void close() {
        flow.close();
    }

    /** Issues each user's token for the code the flow's callback carries ({@code code-<user>}). */
    private void issueTokensByCode() {
        flow.server.handle(request -> {
            String code = request.formParameter("code").orElse("");
            if (!code.startsWith("code-")) {
                return oauthError(400, "invalid_grant", "unknown code");
            }
            String user = code.substring("code-".length());
            return tokenJson("at-" + user, "rt-" + user, null);
        });
    }

    private static ScriptedResponse tokenJson(String access, String refresh, String scope) {
        return json(200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":3600"
                + (refresh == null ? "" : ",\"refresh_token\":\"" + refresh + "\"")
                + (scope == null ? "" : ",\"scope\":\"" + scope + "\"") + "}");
    }

    private void authorize(Subject user) {
        flow.authorizations.complete(user, flow.callback(flow.begin(user)));
    }

    @Test
    void completeWhenCodeExchangedThenRequestCarriesVerifierOfTheChallengeAndByteIdenticalRedirectUri() {
        issueTokensByCode();
        AuthorizationRequest request = flow.begin(ALICE);
        Map<String, String> sentToBrowser = AuthorizationFlow.query(request.url());

        flow.authorizations.complete(ALICE, flow.callback(request));

        RecordedRequest exchange = flow.server.lastRequest();
        assertThat(flow.server.requestCount()).isEqualTo(1);
        assertThat(exchange.path()).isEqualTo("/token");
        assertThat(exchange.formParameter("grant_type")).contains("authorization_code");
        assertThat(exchange.formParameter("code")).contains("code-alice");
        assertThat(exchange.formParameter("redirect_uri")).contains(REDIRECT_URI);
        assertThat(sentToBrowser.get("redirect_uri")).isEqualTo(REDIRECT_URI);
        String verifier = exchange.formParameter("code_verifier").orElseThrow();
        assertThat(new CodeVerifier(verifier).challenge()).isEqualTo(sentToBrowser.get("code_challenge"));
        assertThat(sentToBrowser.get("code_challenge_method")).isEqualTo("S256");
    }

    @Test
    void completeWhenProviderGrantsNarrowerScopeThenGrantedScopeStoredAndReported() {
        flow.server.enqueue(tokenJson("at-alice", "rt-alice", "read"));

        AuthorizationStatus completed = flow.authorizations.complete(ALICE, flow.callback(flow.begin(ALICE)));

        assertThat(flow.system.tokenRequest().scope()).isEqualTo(Scope.parse("read write"));
        assertThat(completed.scope()).isEqualTo(Scope.parse("read"));
        assertThat(flow.stored(ALICE).orElseThrow().scope()).isEqualTo(Scope.parse("read"));
        AuthorizationStatus status = flow.authorizations.status(flow.systemName(), ALICE);
        assertThat(status.status()).isEqualTo(AuthorizationStatus.Status.AUTHORIZED);
        assertThat(status.scope()).isEqualTo(Scope.parse("read"));
        assertThat(status.toString()).doesNotContain("at-alice").doesNotContain("rt-alice");
    }

    @Test
    void flowWhenItFailsAndLogsThenNoTokenNorSecretAppearsInMessagesOrLogs() throws Exception {
        LeakCheck leaks = new LeakCheck().secret("at-alice", "rt-alice", TestSystems.CLIENT_SECRET);
        issueTokensByCode();
        try (AutoCloseable logs = leaks.recordLogs()) {
            AuthorizationRequest request = flow.begin(ALICE);
            leaks.collect(request.pending());
            leaks.collect(flow.authorizations.complete(ALICE, flow.callback(request)));
            leaks.collect(flow.stored(ALICE).orElseThrow());
            leaks.collect(flow.authorizations.status(flow.systemName(), ALICE));
            leaks.expectThrows(() -> flow.authorizations.complete(ALICE, flow.callback(request)));
            flow.server.reset();
            flow.server.setDefault(oauthError(400, "invalid_grant", "Token is not active"));
            flow.clock.advance(Duration.ofHours(2));
            leaks.expectThrows(() -> flow.tokenService.accessToken(flow.systems.get(flow.systemName()), ALICE));
            authorizeAgainWithRevocationFailing(leaks);
        }

        assertThat(leaks.collectedCount()).isGreaterThan(5);
        leaks.assertNoLeak();
    }

    private void authorizeAgainWithRevocationFailing(LeakCheck leaks) {
        flow.server.reset();
        issueTokensByCode();
        authorize(ALICE);
        flow.server.path("/revoke").setDefault(ScriptedResponse.status(500));
        flow.authorizations.disconnect(flow.systemName(), ALICE);
        leaks.collect(flow.authorizations.status(flow.systemName(), ALICE));
    }

    @Test
    void completeWhenAnswerNamesNoScopeThenScopeRequestedInTheLinkIsReported() {
        flow.server.enqueue(tokenJson("at-alice", "rt-alice", null));

        AuthorizationStatus completed = flow.authorizations.complete(ALICE, flow.callback(flow.begin(ALICE)));

        assertThat(completed.scope()).isEqualTo(Scope.parse("read write"));
        assertThat(flow.authorizations.status(flow.systemName(), ALICE).scope()).isEqualTo(Scope.parse("read write"));
    }

    // ---- isolation

    @Test
    void accessTokenWhenTwoUsersAuthorizedThenEachGetsOnlyTheirOwn() {
        issueTokensByCode();
        authorize(ALICE);
        authorize(BOB);
        int exchanges = flow.server.requestCount();

        assertThat(flow.tokenService.accessToken(flow.systems.get(flow.systemName()), ALICE).value().reveal()).isEqualTo("at-alice");
        assertThat(flow.tokenService.accessToken(flow.systems.get(flow.systemName()), BOB).value().reveal()).isEqualTo("at-bob");
        assertThat(flow.stored(ALICE).orElseThrow().refreshToken().reveal()).isEqualTo("rt-alice");
        assertThat(flow.stored(BOB).orElseThrow().refreshToken().reveal()).isEqualTo("rt-bob");
        assertThat(exchanges).isEqualTo(2);
        assertThat(flow.server.requestCount()).isEqualTo(2);
    }

    @Test
    void accessTokenWhenApplicationAsksForPerUserSystemThenWrongSubjectWithoutRequest() {
        issueTokensByCode();
        authorize(ALICE);

        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> flow.tokenService.accessToken(flow.systems.get(flow.systemName()), Subject.application()));

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_SUBJECT);
        assertThat(flow.server.requestCount()).isEqualTo(1);
    }

    @Test
    void accessTokenWhenUserNeverAuthorizedThenAuthorizationRequiredNamingTheSystem() {
        issueTokensByCode();
        authorize(ALICE);
        Subject carol = Subject.user("carol");

        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> flow.tokenService.accessToken(flow.systems.get(flow.systemName()), carol));

        assertThat(e.code()).isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED);
        assertThat(e.systemName()).contains(flow.systemName());
        assertThat(flow.authorizations.status(flow.systemName(), carol).status())
                .isEqualTo(AuthorizationStatus.Status.AUTHORIZATION_REQUIRED);
        assertThat(flow.server.requestCount()).isEqualTo(1);
    }

    @Test
    void beginWhenApplicationSubjectThenWrongSubject() {
        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> flow.authorizations.begin(flow.systemName(), Subject.application(), REDIRECT_URI));

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_SUBJECT);
    }

    // ---- disconnect (RFC 7009)

    @Test
    void disconnectWhenRevocationSucceedsThenRefreshTokenRevokedAndTokensDeleted() {
        issueTokensByCode();
        authorize(ALICE);
        authorize(BOB);
        flow.server.path("/revoke").setDefault(status(200));

        flow.authorizations.disconnect(flow.systemName(), ALICE);

        assertThat(flow.server.requests("/revoke")).hasSize(1);
        RecordedRequest revocation = flow.server.requests("/revoke").get(0);
        assertThat(revocation.formParameter("token")).contains("rt-alice");
        assertThat(revocation.formParameter("token_type_hint")).contains("refresh_token");
        assertThat(flow.stored(ALICE)).isEmpty();
        assertThat(flow.stored(BOB)).isPresent();
        assertThat(flow.authorizations.status(flow.systemName(), ALICE).status())
                .isEqualTo(AuthorizationStatus.Status.AUTHORIZATION_REQUIRED);
    }

    @Test
    void disconnectWhenRefreshTokenRefusedThenAccessTokenRevoked() {
        issueTokensByCode();
        authorize(ALICE);
        flow.server.path("/revoke").enqueue(oauthError(400, "unsupported_token_type", "no refresh tokens here"),
                status(200));

        flow.authorizations.disconnect(flow.systemName(), ALICE);

        assertThat(flow.server.requests("/revoke")).extracting(r -> r.formParameter("token").orElseThrow() + "/"
                + r.formParameter("token_type_hint").orElseThrow())
                .containsExactly("rt-alice/refresh_token", "at-alice/access_token");
        assertThat(flow.stored(ALICE)).isEmpty();
    }

    @Test
    void disconnectWhenRevocationEndpointAnswers500ThenLocalTokensDeletedAnyway() {
        issueTokensByCode();
        authorize(ALICE);
        flow.server.path("/revoke").setDefault(status(500));

        flow.authorizations.disconnect(flow.systemName(), ALICE);

        assertThat(flow.server.requestCount("/revoke")).isGreaterThanOrEqualTo(1);
        assertThat(flow.stored(ALICE)).isEmpty();
        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> flow.tokenService.accessToken(flow.systems.get(flow.systemName()), ALICE));
        assertThat(e.code()).isEqualTo(ErrorCode.AUTHORIZATION_REQUIRED);
    }
}
