package dev.conduit.grant.authorizationcode;

import static dev.conduit.grant.authorizationcode.AuthorizationFlow.ALICE;
import static dev.conduit.grant.authorizationcode.AuthorizationFlow.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.core.lifecycle.AuthorizationStatus;
import dev.conduit.core.testing.ScriptedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each malformed or hostile callback is refused with its own error code, and not one request reaches the provider.
 * The provider is the hostile test server, ready to issue a token to anyone who asks: a refusal that still asked would
 * show in its request count.
 */
class AuthorizationCallbackConformanceTest {

    private AuthorizationFlow flow = new AuthorizationFlow();

    AuthorizationCallbackConformanceTest() {
        flow.server.setDefault(ScriptedResponse.okToken("at-never-issued", 3600, "rt-never-issued"));
    }

    @AfterEach
    void close() {
        flow.close();
    }

    private ConduitException refused(Subject user, Map<String, String> callback) {
        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> flow.authorizations.complete(user, callback));
        assertThat(e).as("the callback must be refused").isNotNull();
        assertThat(flow.server.requestCount()).as("requests that reached the provider").isZero();
        assertThat(flow.stored(user)).as("tokens stored").isEmpty();
        return e;
    }

    private void restartWith(UnaryOperator<ConnectedSystem.Builder> adjust) {
        flow.close();
        flow = new AuthorizationFlow(adjust);
        flow.server.setDefault(ScriptedResponse.okToken("at-never-issued", 3600, "rt-never-issued"));
    }

    @Test
    void completeWhenWellFormedThenOneTokenRequestAndAuthorized() {
        AuthorizationRequest request = flow.begin(ALICE);

        AuthorizationStatus status = flow.authorizations.complete(ALICE, flow.callback(request));

        assertThat(status.status()).isEqualTo(AuthorizationStatus.Status.AUTHORIZED);
        assertThat(flow.server.requestCount("/token")).isEqualTo(1);
    }

    // ---- state

    @Test
    void completeWhenStateMissingThenStateMissing() {
        AuthorizationRequest request = flow.begin(ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "state", null));

        assertThat(e.code()).isEqualTo(ErrorCode.STATE_MISSING);
    }

    @Test
    void completeWhenStateWrongThenStateUnknown() {
        AuthorizationRequest request = flow.begin(ALICE);
        String forged = RandomValues.newState().value();

        ConduitException e = refused(ALICE, flow.callback(request, "state", forged));

        assertThat(e.code()).isEqualTo(ErrorCode.STATE_UNKNOWN);
    }

    @Test
    void completeWhenAnotherUsersStateThenStateUserMismatchAndOwnerStillCompletes() {
        AuthorizationRequest alices = flow.begin(ALICE);

        ConduitException e = refused(BOB, flow.callback(alices));

        assertThat(e.code()).isEqualTo(ErrorCode.STATE_USER_MISMATCH);
        assertThat(flow.authorizations.complete(ALICE, flow.callback(alices)).status())
                .isEqualTo(AuthorizationStatus.Status.AUTHORIZED);
    }

    @Test
    void completeWhenStateReplayedThenStateReplayedAndNoSecondTokenRequest() {
        AuthorizationRequest request = flow.begin(ALICE);
        flow.authorizations.complete(ALICE, flow.callback(request));
        flow.server.reset();
        flow.tokenService.discard(flow.systemName(), ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "code", "another-code"));

        assertThat(e.code()).isEqualTo(ErrorCode.STATE_REPLAYED);
    }

    @Test
    void completeWhenStateExpiredThenStateExpired() {
        AuthorizationRequest request = flow.begin(ALICE);
        flow.clock.advance(AuthorizationCodeGrant.DEFAULT_PENDING_LIFETIME.plus(Duration.ofSeconds(1)));

        ConduitException e = refused(ALICE, flow.callback(request));

        assertThat(e.code()).isEqualTo(ErrorCode.STATE_EXPIRED);
        assertThat(e.systemName()).contains(flow.systemName());
    }

    @Test
    void completeWhenJustBeforeExpiryThenAccepted() {
        AuthorizationRequest request = flow.begin(ALICE);
        flow.clock.advance(AuthorizationCodeGrant.DEFAULT_PENDING_LIFETIME.minus(Duration.ofSeconds(1)));

        assertThat(flow.authorizations.complete(ALICE, flow.callback(request)).status())
                .isEqualTo(AuthorizationStatus.Status.AUTHORIZED);
    }

    @Test
    void completeWhenOneCallbackArrivesEightTimesAtOnceThenOneTokenRequestAndSevenReplays() throws Exception {
        AuthorizationRequest request = flow.begin(ALICE);
        Map<String, String> callback = flow.callback(request);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ErrorCode>> outcomes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    flow.authorizations.complete(ALICE, callback);
                    return null;
                } catch (ConduitException e) {
                    return e.code();
                }
            }));
        }
        start.countDown();
        List<ErrorCode> codes = new ArrayList<>();
        for (Future<ErrorCode> outcome : outcomes) {
            codes.add(outcome.get(10, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(codes).filteredOn(Objects::isNull).hasSize(1);
        assertThat(codes).filteredOn(Objects::nonNull).hasSize(7).containsOnly(ErrorCode.STATE_REPLAYED);
        assertThat(flow.server.requestCount()).isEqualTo(1);
    }

    // ---- RFC 9207 iss

    @Test
    void completeWhenIssHasTrailingSlashThenIssuerMismatch() {
        AuthorizationRequest request = flow.begin(ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "iss", flow.issuer() + "/"));

        assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
    }

    @Test
    void completeWhenIssDiffersInCaseThenIssuerMismatch() {
        AuthorizationRequest request = flow.begin(ALICE);
        String otherCase = flow.issuer().replace("/realms/Acme", "/realms/acme");

        ConduitException e = refused(ALICE, flow.callback(request, "iss", otherCase));

        assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
    }

    @Test
    void completeWhenIssNamesAnotherServerThenIssuerMismatch() {
        AuthorizationRequest request = flow.begin(ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "iss", "https://attacker.example.com/realms/Acme"));

        assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
    }

    @Test
    void completeWhenIssMissingWhileAdvertisedThenIssuerMissing() {
        restartWith(b -> b.issuerParameterSupported(true));
        AuthorizationRequest request = flow.begin(ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "iss", null));

        assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISSING);
    }

    @Test
    void completeWhenIssSentButNoIssuerConfiguredThenIssuerMismatch() {
        restartWith(b -> b.issuer(null));
        AuthorizationRequest request = flow.begin(ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "iss", "https://idp.example.com"));

        assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
        assertThat(e.field()).contains("issuer");
    }

    // ---- code and error

    @Test
    void completeWhenCodeAndErrorTogetherThenInvalidCallback() {
        AuthorizationRequest request = flow.begin(ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "error", "server_error"));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CALLBACK);
    }

    @Test
    void completeWhenNoCodeNorErrorThenInvalidCallback() {
        AuthorizationRequest request = flow.begin(ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "code", null));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CALLBACK);
    }

    @Test
    void completeWhenUserDeclinedThenAccessDenied() {
        AuthorizationRequest request = flow.begin(ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "code", null, "error", "access_denied"));

        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("declined");
        assertThat(e.systemName()).contains(flow.systemName());
    }

    @Test
    void completeWhenErrorDescriptionCarriesCrlfAndScriptThenItComesOutStripped() {
        AuthorizationRequest request = flow.begin(ALICE);

        ConduitException e = refused(ALICE, flow.callback(request, "code", null, "error", "invalid_request",
                "error_description", "Bad request\r\nX-Injected: yes\r\n<script>alert('owned')</script>"));

        assertThat(e.code()).isEqualTo(ErrorCode.AUTHORIZATION_ERROR);
        OAuthError error = e.oauthError().orElseThrow();
        assertThat(error.error()).isEqualTo("invalid_request");
        assertThat(error.errorDescription()).isEqualTo("Bad requestX-Injected: yesscriptalert('owned')/script");
        for (String text : List.of(e.getMessage(), e.toString(), error.toString())) {
            assertThat(text).doesNotContain("\r").doesNotContain("\n").doesNotContain("<script>").doesNotContain("<")
                    .doesNotContain(">");
        }
    }
}
