package dev.conduit.grant.authorizationcode;

import static dev.conduit.grant.authorizationcode.RecordingTokenEndpoint.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.api.Secret;
import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.grant.Grant;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.RefreshingGrant;
import dev.conduit.api.grant.State;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Scope;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.system.Variable;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.endpoint.GrantedTokens;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationCodeGrantTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ISSUER = "https://idp.example.com/realms/acme";
    private static final String REDIRECT_URI = "https://conduit.example.com/api/authorizations/callback";
    private static final Subject ALICE = Subject.user("alice");

    private final AuthorizationCodeGrant grant = new AuthorizationCodeGrant();
    private final RecordingTokenEndpoint endpoint = new RecordingTokenEndpoint();

    private static ConnectedSystem.Builder system() {
        return ConnectedSystem.builder()
                .name("crm")
                .grantType(AuthorizationCodeGrant.TYPE)
                .tokenEndpoint("https://idp.example.com/realms/acme/token")
                .authorizationEndpoint("https://idp.example.com/realms/acme/auth")
                .revocationEndpoint("https://idp.example.com/realms/acme/revoke")
                .issuer(ISSUER)
                .clientId("conduit-crm.client")
                .clientSecret(Secret.of("s3cret"))
                .scope(Scope.parse("openid orders:read"));
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String previous = parameters.put(name, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            assertThat(previous).as("parameter %s sent twice", name).isNull();
        }
        return parameters;
    }

    private GrantRequest request(ConnectedSystem system, Subject subject) {
        return new GrantRequest(system, subject, endpoint, CLOCK);
    }

    private Map<String, String> callback(PendingAuthorization pending, String... keyValues) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("state", pending.state().value());
        for (int i = 0; i < keyValues.length; i += 2) {
            parameters.put(keyValues[i], keyValues[i + 1]);
        }
        return parameters;
    }

    private ConduitException completeFails(ConnectedSystem system, Map<String, String> callback,
            PendingAuthorization pending) {
        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> grant.complete(callback, pending, request(system, ALICE)));
        assertThat(e).as("complete must refuse the callback").isNotNull();
        assertThat(endpoint.tokenRequests).as("token requests made").isEmpty();
        return e;
    }

    // ---- the grant as a plug-in

    @Test
    void serviceLoaderWhenModuleOnClassPathThenFindsTheGrant() {
        List<String> types = ServiceLoader.load(Grant.class).stream().map(p -> p.get().type()).toList();

        assertThat(types).contains(AuthorizationCodeGrant.TYPE);
        assertThat(grant.tokenScope()).isEqualTo(TokenScope.PER_USER);
        assertThat(grant).isInstanceOf(RefreshingGrant.class);
    }

    @Test
    void validateWhenNoAuthorizationEndpointThenInvalidConfigurationNamingIt() {
        ConnectedSystem system = system().authorizationEndpoint(null).build();

        ConduitException e = catchThrowableOfType(ConduitException.class, () -> grant.validate(system));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.field()).contains("authorizationEndpoint");
    }

    @Test
    void validateWhenEndpointQueryCarriesProtocolParameterThenRefused() {
        ConnectedSystem system = system().authorizationEndpoint("https://idp.example.com/auth?code_challenge_method=plain")
                .build();

        ConduitException e = catchThrowableOfType(ConduitException.class, () -> grant.validate(system));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.field()).contains("authorizationEndpoint");
    }

    @Test
    void beginWhenEndpointQueryCarriesStateThenRefusedBeforeAnyLinkIsMade() {
        ConnectedSystem system = system().authorizationEndpoint("https://idp.example.com/auth?state=fixed").build();

        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> grant.begin(system, ALICE, REDIRECT_URI, CLOCK));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.field()).contains("authorizationEndpoint");
    }

    // ---- begin: the authorization link

    @Test
    void beginWhenCalledThenUrlCarriesEveryProtocolParameterOnce() {
        AuthorizationRequest authorization = grant.begin(system().build(), ALICE, REDIRECT_URI, CLOCK);

        Map<String, String> query = query(authorization.url());
        PendingAuthorization pending = authorization.pending();
        assertThat(authorization.url().toString()).startsWith("https://idp.example.com/realms/acme/auth?");
        assertThat(query).containsExactly(
                Map.entry("response_type", "code"),
                Map.entry("client_id", "conduit-crm.client"),
                Map.entry("redirect_uri", REDIRECT_URI),
                Map.entry("scope", "openid orders:read"),
                Map.entry("state", pending.state().value()),
                Map.entry("code_challenge", pending.codeVerifier().challenge()),
                Map.entry("code_challenge_method", "S256"));
        assertThat(authorization.url().getRawQuery()).contains("scope=openid%20orders%3Aread");
    }

    @Test
    void beginWhenCalledThenPendingRemembersUserRedirectIssuerAndTenMinuteExpiry() {
        PendingAuthorization pending = grant.begin(system().build(), ALICE, REDIRECT_URI, CLOCK).pending();

        assertThat(pending.user()).isEqualTo(ALICE);
        assertThat(pending.systemName()).isEqualTo("crm");
        assertThat(pending.redirectUri()).isEqualTo(REDIRECT_URI);
        assertThat(pending.issuer()).isEqualTo(ISSUER);
        assertThat(pending.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(new AuthorizationCodeGrant(Duration.ofMinutes(2)).begin(system().build(), ALICE, REDIRECT_URI, CLOCK)
                .pending().expiresAt()).isEqualTo(NOW.plusSeconds(120));
    }

    @Test
    void beginWhenNoIssuerConfiguredThenPendingIssuerIsNull() {
        PendingAuthorization pending = grant.begin(system().issuer(null).build(), ALICE, REDIRECT_URI, CLOCK).pending();

        assertThat(pending.issuer()).isNull();
    }

    @Test
    void beginWhenEndpointHasQueryThenItIsKeptAndProtocolParametersFollow() {
        ConnectedSystem system = system().authorizationEndpoint("https://idp.example.com/oauth2/authorize?tenant=a%20b")
                .build();

        URI url = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).url();

        assertThat(url.toString()).startsWith("https://idp.example.com/oauth2/authorize?tenant=a%20b&response_type=code&");
        assertThat(query(url)).containsEntry("tenant", "a b").containsEntry("code_challenge_method", "S256");
    }

    @Test
    void beginWhenRedirectUriHasEncodedQueryThenEncodedAgainInUrlAndRememberedExactly() {
        String redirect = "https://conduit.example.com/callback?return=%2Fa%20b&x=1+2";

        AuthorizationRequest authorization = grant.begin(system().build(), ALICE, redirect, CLOCK);

        assertThat(authorization.pending().redirectUri()).isEqualTo(redirect);
        assertThat(query(authorization.url())).containsEntry("redirect_uri", redirect);
    }

    @Test
    void beginWhenIncludeScopeOffOrScopeEmptyThenNoScopeParameter() {
        URI off = grant.begin(system().includeScope(false).build(), ALICE, REDIRECT_URI, CLOCK).url();
        URI empty = grant.begin(system().scope(Scope.EMPTY).build(), ALICE, REDIRECT_URI, CLOCK).url();

        assertThat(query(off)).doesNotContainKey("scope");
        assertThat(query(empty)).doesNotContainKey("scope");
    }

    @Test
    void beginWhenExtraQueryParametersThenTemplatesRenderedAndAppended() {
        ConnectedSystem system = system().variable(Variable.plain("tenant", "acme & co"))
                .extraQueryParameter("prompt", "consent")
                .extraQueryParameter("audience", "https://${tenant}.example.com")
                .build();

        Map<String, String> query = query(grant.begin(system, ALICE, REDIRECT_URI, CLOCK).url());

        assertThat(query).containsEntry("prompt", "consent").containsEntry("audience", "https://acme & co.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"code_challenge_method", "state", "redirect_uri", "response_type", "client_id", "scope",
            "code_challenge"})
    void beginWhenExtraParameterNamesProtocolParameterThenRefusedNamingTheField(String name) {
        ConnectedSystem system = system().extraQueryParameter(name, "plain").build();

        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> grant.begin(system, ALICE, REDIRECT_URI, CLOCK));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.field()).contains("extraQueryParameters." + name);
    }

    @Test
    void systemWhenExtraParameterUsesSecretVariableThenRefusedSoNoLinkCanShowIt() {
        ConnectedSystem.Builder builder = system().variable(Variable.secret("apiKey", Secret.of("very-secret-value")))
                .extraQueryParameter("key", "${apiKey}");

        ConduitException e = catchThrowableOfType(ConduitException.class, builder::build);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.field()).contains("extraQueryParameters.key");
        assertThat(e.getMessage()).doesNotContain("very-secret-value");
    }

    @Test
    void beginWhenSubjectIsApplicationThenWrongSubject() {
        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> grant.begin(system().build(), Subject.application(), REDIRECT_URI, CLOCK));

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_SUBJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/relative/callback", "https://conduit.example.com/cb#frag", "javascript:alert(1)",
            "https://user:pw@conduit.example.com/cb", "https://conduit example.com/cb"})
    void beginWhenRedirectUriInvalidThenInvalidRequestNamingIt(String redirectUri) {
        ConduitException e = catchThrowableOfType(ConduitException.class,
                () -> grant.begin(system().build(), ALICE, redirectUri, CLOCK));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(e.field()).contains("redirectUri");
    }

    // ---- state and PKCE values

    @Test
    void codeVerifierWhenRfc7636AppendixBVectorThenChallengeMatches() {
        CodeVerifier verifier = new CodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        // the value printed in RFC 7636 Appendix B, and what BASE64URL(SHA256(verifier)) gives with any tool
        assertThat(verifier.challenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertThat(CodeVerifier.METHOD).isEqualTo("S256");
    }

    @Test
    void beginWhenCalled1000TimesThenVerifiersAre43To128UnreservedCharactersAndChallengeIsTheirS256() {
        Set<String> verifiers = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            AuthorizationRequest authorization = grant.begin(system().build(), ALICE, REDIRECT_URI, CLOCK);
            String verifier = authorization.pending().codeVerifier().value();

            assertThat(verifier).hasSizeBetween(43, 128).matches("[A-Za-z0-9._~-]+");
            assertThat(query(authorization.url()))
                    .containsEntry("code_challenge", authorization.pending().codeVerifier().challenge())
                    .containsEntry("code_challenge_method", "S256");
            verifiers.add(verifier);
        }
        assertThat(verifiers).hasSize(1000);
    }

    @Test
    void beginWhenCalled10000TimesThenNoStateRepeatsAndEachCarriesAtLeast128Bits() {
        Set<String> states = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            State state = RandomValues.newState();
            assertThat(state.value()).hasSizeGreaterThanOrEqualTo(State.MIN_LENGTH).matches("[A-Za-z0-9_-]+");
            states.add(state.value());
        }
        assertThat(states).hasSize(10_000);
        // 32 random bytes -> 43 base64url characters without padding: 256 bits
        assertThat(grant.begin(system().build(), ALICE, REDIRECT_URI, CLOCK).pending().state().value()).hasSize(43)
                .doesNotContain("=");
    }

    @Test
    void beginWhenCalledThenUrlNeverMentionsPlain() {
        for (int i = 0; i < 100; i++) {
            URI url = grant.begin(system().build(), ALICE, REDIRECT_URI, CLOCK).url();
            assertThat(query(url).get("code_challenge_method")).isEqualTo("S256");
            assertThat(url.toString()).doesNotContainIgnoringCase("plain");
        }
    }

    // ---- complete: the callback

    @Test
    void completeWhenCallbackValidThenExchangesCodeWithVerifierAndByteIdenticalRedirectUri() {
        String redirect = "https://conduit.example.com/callback?return=%2Fhome&x=a+b";
        ConnectedSystem system = system().build();
        AuthorizationRequest authorization = grant.begin(system, ALICE, redirect, CLOCK);
        PendingAuthorization pending = authorization.pending();
        endpoint.answer(tokens("at-1", "rt-1", "openid"));

        TokenSet tokens = grant.complete(callback(pending, "code", "the-code", "iss", ISSUER), pending,
                request(system, ALICE));

        assertThat(tokens.accessToken().reveal()).isEqualTo("at-1");
        assertThat(endpoint.tokenRequests).hasSize(1);
        Map<String, String> sent = endpoint.tokenRequests.get(0);
        assertThat(sent).containsOnly(
                Map.entry("grant_type", "authorization_code"),
                Map.entry("code", "the-code"),
                Map.entry("redirect_uri", redirect),
                Map.entry("code_verifier", pending.codeVerifier().value()));
        assertThat(new CodeVerifier(sent.get("code_verifier")).challenge())
                .isEqualTo(query(authorization.url()).get("code_challenge"));
    }

    @Test
    void completeWhenIssAbsentAndNotAdvertisedThenExchanges() {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();
        endpoint.answer(tokens("at-1", "rt-1", "openid"));

        grant.complete(callback(pending, "code", "c"), pending, request(system, ALICE));

        assertThat(endpoint.tokenRequests).hasSize(1);
    }

    @Test
    void completeWhenCodeAndErrorTogetherThenInvalidCallback() {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system,
                callback(pending, "code", "c", "error", "access_denied", "iss", ISSUER), pending);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CALLBACK);
    }

    @Test
    void completeWhenNeitherCodeNorErrorThenInvalidCallback() {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system, callback(pending, "iss", ISSUER), pending);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CALLBACK);
    }

    @ParameterizedTest
    @ValueSource(strings = {ISSUER + "/", "https://IDP.example.com/realms/acme", "https://idp.example.com/realms/ACME",
            "https://evil.example.com/realms/acme", "", " " + ISSUER})
    void completeWhenIssDiffersFromIssuerAskedThenIssuerMismatch(String iss) {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system, callback(pending, "code", "c", "iss", iss), pending);

        assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
        assertThat(e.systemName()).contains("crm");
    }

    @Test
    void completeWhenIssMismatchOnErrorResponseThenIssuerMismatchNotTheError() {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system,
                callback(pending, "error", "access_denied", "iss", "https://evil.example.com"), pending);

        assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
    }

    @Test
    void completeWhenIssMissingWhileAdvertisedThenIssuerMissing() {
        ConnectedSystem system = system().issuerParameterSupported(true).build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system, callback(pending, "code", "c"), pending);

        assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISSING);
    }

    @Test
    void completeWhenIssPresentButNoIssuerConfiguredThenIssuerMismatchNamingTheIssuerField() {
        ConnectedSystem system = system().issuer(null).build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system, callback(pending, "code", "c", "iss", ISSUER), pending);

        assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
        assertThat(e.field()).contains("issuer");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "invalid_scope, INVALID_SCOPE, scopes",
        "unauthorized_client, UNAUTHORIZED_CLIENT, authorization code flow",
        "access_denied, ACCESS_DENIED, declined",
        "server_error, AUTHORIZATION_SERVER_UNAVAILABLE, in a few minutes",
        "temporarily_unavailable, AUTHORIZATION_SERVER_UNAVAILABLE, in a few minutes",
        "invalid_request, AUTHORIZATION_ERROR, redirect URI",
        "unsupported_response_type, AUTHORIZATION_ERROR, redirect URI",
        "something_new, AUTHORIZATION_ERROR, redirect URI"})
    void completeWhenTheAuthorizationEndpointAnswersAnErrorThenItsOwnCodeAndHint(String error, ErrorCode expected,
            String hintMentions) {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system, callback(pending, "error", error, "iss", ISSUER), pending);

        assertThat(e.code()).isEqualTo(expected);
        assertThat(e.hint()).contains(hintMentions);
        assertThat(e.oauthError()).map(OAuthError::error).contains(error);
        assertThat(e.systemName()).contains("crm");
    }

    @Test
    void completeWhenAccessDeniedThenAccessDeniedSayingTheUserDeclined() {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system,
                callback(pending, "error", "access_denied", "error_description", "User said no", "iss", ISSUER),
                pending);

        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("user declined");
        assertThat(e.oauthError()).map(OAuthError::error).contains("access_denied");
        assertThat(e.systemName()).contains("crm");
    }

    @Test
    void completeWhenErrorDescriptionCarriesCrlfAndScriptThenStrippedInMessageAndOAuthError() {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();
        String hostile = "bad\r\nSet-Cookie: x=1<script>alert(1)</script>";

        ConduitException e = completeFails(system, callback(pending, "error", "invalid_scope\r\nX-Injected: 1",
                "error_description", hostile, "error_uri", "https://idp/e\n<script>", "iss", ISSUER), pending);

        assertThat(e.code()).isEqualTo(ErrorCode.AUTHORIZATION_ERROR);
        OAuthError error = e.oauthError().orElseThrow();
        for (String text : List.of(e.getMessage(), e.toString(), error.error(), error.errorDescription(),
                error.errorUri())) {
            assertThat(text).doesNotContain("\r", "\n", "<", ">", "<script>");
        }
        assertThat(error.errorDescription()).isEqualTo("badSet-Cookie: x=1scriptalert(1)/script");
        assertThat(e.getMessage()).contains("invalid_scopeX-Injected: 1");
    }

    @Test
    void completeWhenStateMissingOrDifferentThenStateErrorsWithoutRequest() {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, ALICE, REDIRECT_URI, CLOCK).pending();
        Map<String, String> noState = callback(pending, "code", "c");
        noState.remove("state");
        Map<String, String> otherState = callback(pending, "code", "c", "state", RandomValues.newState().value());

        assertThat(completeFails(system, noState, pending).code()).isEqualTo(ErrorCode.STATE_MISSING);
        assertThat(completeFails(system, otherState, pending).code()).isEqualTo(ErrorCode.STATE_UNKNOWN);
    }

    @Test
    void completeWhenPendingBelongsToAnotherUserThenStateUserMismatch() {
        ConnectedSystem system = system().build();
        PendingAuthorization pending = grant.begin(system, Subject.user("bob"), REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system, callback(pending, "code", "c"), pending);

        assertThat(e.code()).isEqualTo(ErrorCode.STATE_USER_MISMATCH);
    }

    @Test
    void completeWhenPendingIsForAnotherSystemThenStateUnknown() {
        PendingAuthorization pending = grant.begin(system().name("erp").build(), ALICE, REDIRECT_URI, CLOCK).pending();

        ConduitException e = completeFails(system().build(), callback(pending, "code", "c"), pending);

        assertThat(e.code()).isEqualTo(ErrorCode.STATE_UNKNOWN);
    }

    // ---- refresh

    @Test
    void refreshWhenResponseHasNoRefreshTokenThenOldOneKept() {
        endpoint.answer(tokens("at-2", null, "openid"));

        TokenSet tokens = GrantedTokens.refreshed(grant.refresh(request(system().build(), ALICE), Secret.of("rt-1")),
                tokens("at-1", "rt-1", "openid"));

        assertThat(tokens.accessToken().reveal()).isEqualTo("at-2");
        assertThat(tokens.refreshToken().reveal()).isEqualTo("rt-1");
    }

    @Test
    void refreshWhenResponseRotatesRefreshTokenThenNewOneReturned() {
        endpoint.answer(tokens("at-2", "rt-2", "openid"));

        TokenSet tokens = grant.refresh(request(system().build(), ALICE), Secret.of("rt-1"));

        assertThat(tokens.refreshToken().reveal()).isEqualTo("rt-2");
    }

    @Test
    void refreshWhenCalledThenSendsRefreshTokenGrantWithoutScope() {
        endpoint.answer(tokens("at-2", null, "openid"));

        grant.refresh(request(system().build(), ALICE), Secret.of("rt-1"));

        assertThat(endpoint.tokenRequests).containsExactly(
                Map.of("grant_type", "refresh_token", "refresh_token", "rt-1"));
    }

    @Test
    void refreshWhenInvalidGrantThenPropagatesIt() {
        endpoint.fail(new ConduitException(ErrorCode.INVALID_GRANT, "refresh token no longer valid"));

        assertThatThrownBy(() -> grant.refresh(request(system().build(), ALICE), Secret.of("rt-1")))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GRANT));
    }

    // ---- revoke

    @Test
    void revokeWhenRefreshTokenRevokedThenAccessTokenLeftAlone() {
        endpoint.revocationAnswers(true);

        grant.revoke(request(system().build(), ALICE), tokens("at-1", "rt-1", "openid"));

        assertThat(endpoint.revocations).containsExactly(new RecordingTokenEndpoint.Revocation("rt-1", "refresh_token"));
    }

    @Test
    void revokeWhenRefreshTokenRefusedThenAccessTokenRevoked() {
        endpoint.revocationAnswers(false, true);

        grant.revoke(request(system().build(), ALICE), tokens("at-1", "rt-1", "openid"));

        assertThat(endpoint.revocations).containsExactly(
                new RecordingTokenEndpoint.Revocation("rt-1", "refresh_token"),
                new RecordingTokenEndpoint.Revocation("at-1", "access_token"));
    }

    @Test
    void revokeWhenNoRefreshTokenThenAccessTokenRevoked() {
        endpoint.revocationAnswers(true);

        grant.revoke(request(system().build(), ALICE), tokens("at-1", null, "openid"));

        assertThat(endpoint.revocations).containsExactly(new RecordingTokenEndpoint.Revocation("at-1", "access_token"));
    }

    @Test
    void revokeWhenEndpointFailsThenFallsBackAndNeverThrows() {
        endpoint.revocationFails(new ConduitException(ErrorCode.ENDPOINT_UNAVAILABLE, "revocation endpoint down"))
                .revocationFails(new ConduitException(ErrorCode.ENDPOINT_UNAVAILABLE, "revocation endpoint down"));

        grant.revoke(request(system().build(), ALICE), tokens("at-1", "rt-1", "openid"));

        assertThat(endpoint.revocations).extracting(RecordingTokenEndpoint.Revocation::hint)
                .containsExactly("refresh_token", "access_token");
    }
}
