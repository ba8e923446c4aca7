package dev.conduit.core.endpoint;

import static dev.conduit.core.testing.ScriptedResponse.endlessBody;
import static dev.conduit.core.testing.ScriptedResponse.fixture;
import static dev.conduit.core.testing.ScriptedResponse.hang;
import static dev.conduit.core.testing.ScriptedResponse.html;
import static dev.conduit.core.testing.ScriptedResponse.json;
import static dev.conduit.core.testing.ScriptedResponse.largeJson;
import static dev.conduit.core.testing.ScriptedResponse.oauthError;
import static dev.conduit.core.testing.ScriptedResponse.okToken;
import static dev.conduit.core.testing.ScriptedResponse.okTokenWithScope;
import static dev.conduit.core.testing.ScriptedResponse.rateLimited;
import static dev.conduit.core.testing.ScriptedResponse.redirect;
import static dev.conduit.core.testing.ScriptedResponse.status;
import static dev.conduit.core.testing.ScriptedResponse.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.policy.HostResolver;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.LeakCheck;
import dev.conduit.core.testing.ScriptedResponse;
import dev.conduit.core.testing.TestSystems;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One request at a time against a token endpoint that answers anything: each case asserts the code and the count. */
class HttpTokenEndpointTest {

    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Map<String, String> CLIENT_CREDENTIALS = Map.of("grant_type", "client_credentials", "scope", "read write");
    static final String TOKEN = "access-token-3e9b1c77d2a54f08";

    /** Every message and toString these tests see, searched for secrets at the end. */
    static final LeakCheck LEAKS = new LeakCheck().secret(TestSystems.CLIENT_SECRET, TOKEN, "large-body-token");

    private final HostileTokenServer server = HostileTokenServer.start();
    private final HttpTokenEndpointFactory factory = new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(),
            HttpSettings.DEFAULT.withReadTimeout(Duration.ofSeconds(3)), CLOCK);

    @AfterEach
    void stop() {
        server.close();
    }

    @AfterAll
    static void noSecretInAnyMessage() {
        assertThat(LEAKS.collectedCount()).isGreaterThan(20);
        LEAKS.assertNoLeak();
    }

    static Stream<Arguments> invalidAnswers() {
        return Stream.of(
                Arguments.of("200 with HTML", html("<html><body>Sign in " + TOKEN + "</body></html>"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("200 with an HTML fixture", fixture(200, "login-page.html"), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("empty body", status(200), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("empty object", json(200, "{}"), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("JSON array", json(200, "[{\"access_token\":\"" + TOKEN + "\"}]"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("JSON string", json(200, "\"" + TOKEN + "\""), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("truncated JSON", json(200, "{\"access_token\":\"" + TOKEN), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("no access_token", json(200, "{\"token_type\":\"Bearer\",\"expires_in\":60}"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("empty access_token", json(200, "{\"access_token\":\"\",\"token_type\":\"Bearer\"}"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("numeric access_token", json(200, "{\"access_token\":12345,\"token_type\":\"Bearer\"}"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("access_token with a line break",
                        json(200, "{\"access_token\":\"a\\r\\nSet-Cookie: x\",\"token_type\":\"Bearer\"}"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("no token_type", json(200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":60}"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("unknown token_type", tokenWith("\"token_type\":\"mac\""), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("DPoP token_type", tokenWith("\"token_type\":\"DPoP\""), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("expires_in -5", tokenWith("\"token_type\":\"Bearer\",\"expires_in\":-5"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("expires_in 0", tokenWith("\"token_type\":\"Bearer\",\"expires_in\":0"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("expires_in \"abc\"", tokenWith("\"token_type\":\"Bearer\",\"expires_in\":\"abc\""),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("expires_in 3600.5", tokenWith("\"token_type\":\"Bearer\",\"expires_in\":3600.5"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("expires_in 1e999", tokenWith("\"token_type\":\"Bearer\",\"expires_in\":1e999"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("expires_in 20 years", tokenWith("\"token_type\":\"Bearer\",\"expires_in\":631152000"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("expires_in beyond long",
                        tokenWith("\"token_type\":\"Bearer\",\"expires_in\":99999999999999999999999"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("expires_in \"-5\"", tokenWith("\"token_type\":\"Bearer\",\"expires_in\":\"-5\""),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("expires_in true", tokenWith("\"token_type\":\"Bearer\",\"expires_in\":true"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("duplicate access_token", fixture(200, "token-duplicate-key.json"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("trailing garbage", json(200, "{\"access_token\":\"" + TOKEN
                        + "\",\"token_type\":\"Bearer\"} {}"), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("100 KiB body", largeJson(100 * 1024), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("302", redirect("https://elsewhere.example.com/token"), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("307", redirect(307, "https://elsewhere.example.com/token"),
                        ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("429", rateLimited("1"), ErrorCode.RATE_LIMITED),
                Arguments.of("500", oauthError(500, "server_error", null), ErrorCode.ENDPOINT_UNAVAILABLE),
                Arguments.of("502 with HTML", html(502, "<h1>Bad Gateway</h1>"), ErrorCode.ENDPOINT_UNAVAILABLE),
                Arguments.of("503 empty", status(503), ErrorCode.ENDPOINT_UNAVAILABLE),
                Arguments.of("408", status(408), ErrorCode.ENDPOINT_UNAVAILABLE),
                Arguments.of("invalid_client", oauthError(401, "invalid_client", "bad secret"), ErrorCode.INVALID_CLIENT),
                Arguments.of("unauthorized_client", oauthError(400, "unauthorized_client", null), ErrorCode.INVALID_CLIENT),
                Arguments.of("invalid_scope", oauthError(400, "invalid_scope", null), ErrorCode.INVALID_SCOPE),
                Arguments.of("invalid_grant", oauthError(400, "invalid_grant", null), ErrorCode.INVALID_GRANT),
                Arguments.of("access_denied", oauthError(403, "access_denied", null), ErrorCode.ACCESS_DENIED),
                Arguments.of("unsupported_grant_type", oauthError(400, "unsupported_grant_type", null),
                        ErrorCode.TOKEN_ENDPOINT_ERROR),
                Arguments.of("error object in a 200", fixture(200, "token-error-in-200.json"),
                        ErrorCode.TOKEN_ENDPOINT_ERROR),
                Arguments.of("401 without JSON", text(401, "Unauthorized"), ErrorCode.INVALID_CLIENT),
                Arguments.of("404 with HTML", html(404, "<h1>Not Found</h1>"), ErrorCode.INVALID_TOKEN_RESPONSE),
                Arguments.of("400 with JSON but no error", json(400, "{\"message\":\"nope\"}"),
                        ErrorCode.INVALID_TOKEN_RESPONSE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAnswers")
    void requestTokenWhenAnswerIsHostileThenErrorCodeAfterOneRequest(String name, ScriptedResponse answer,
            ErrorCode expected) {
        server.enqueue(answer);

        ConduitException e = requestFails();

        assertThat(e.code()).as(name).isEqualTo(expected);
        assertThat(e.getMessage()).isNotBlank().doesNotContain(TOKEN);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenValidThenTokenSetWithClockTimes() {
        server.enqueue(okToken(TOKEN, 3600));

        TokenSet tokens = endpoint(system()).requestToken(CLIENT_CREDENTIALS);

        assertThat(tokens.accessToken().reveal()).isEqualTo(TOKEN);
        assertThat(tokens.tokenType()).isEqualTo("Bearer");
        assertThat(tokens.issuedAt()).isEqualTo(NOW);
        assertThat(tokens.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(tokens.refreshToken()).isNull();
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(server.lastRequest().method()).isEqualTo("POST");
        assertThat(server.lastRequest().header("Accept")).contains("application/json");
    }

    @Test
    void requestTokenWhenTokenTypeMixedCaseThenNormalisedToBearer() {
        server.enqueue(tokenWith("\"token_type\":\"bEARER\",\"expires_in\":60"));

        assertThat(endpoint(system()).requestToken(CLIENT_CREDENTIALS).tokenType()).isEqualTo("Bearer");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenExpiresInIsNumericStringThenAccepted() {
        server.enqueue(tokenWith("\"token_type\":\"Bearer\",\"expires_in\":\"3600\""));

        assertThat(endpoint(system()).requestToken(CLIENT_CREDENTIALS).expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenExpiresInAbsentThenSystemDefaultLifetime() {
        server.enqueue(tokenWith("\"token_type\":\"Bearer\""));
        ConnectedSystem system = system().defaultTokenLifetime(Duration.ofMinutes(20)).build();

        assertThat(endpoint(system).requestToken(CLIENT_CREDENTIALS).expiresAt())
                .isEqualTo(NOW.plus(Duration.ofMinutes(20)));
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenRefreshTokenSentThenKept() {
        server.enqueue(okToken(TOKEN, 60, "refresh-token-8d7c6b5a"));

        TokenSet tokens = endpoint(system()).requestToken(CLIENT_CREDENTIALS);

        assertThat(tokens.refreshToken().reveal()).isEqualTo("refresh-token-8d7c6b5a");
        LEAKS.collect(tokens);
    }

    @Test
    void requestTokenWhenScopeNarrowerThanRequestedThenGrantedScopeReported() {
        server.enqueue(okTokenWithScope(TOKEN, 60, "read"));

        TokenSet tokens = endpoint(system()).requestToken(CLIENT_CREDENTIALS);

        assertThat(tokens.scope()).isEqualTo(Scope.parse("read"));
        assertThat(server.lastRequest().formParameter("scope")).contains("read write");
    }

    @Test
    void requestTokenWhenScopeAbsentThenRequestedScopeReported() {
        server.enqueue(okToken(TOKEN, 60));

        assertThat(endpoint(system()).requestToken(CLIENT_CREDENTIALS).scope()).isEqualTo(Scope.parse("read write"));
    }

    @Test
    void requestTokenWhenNoScopeRequestedOrGrantedThenEmptyScope() {
        server.enqueue(okToken(TOKEN, 60));

        assertThat(endpoint(system()).requestToken(Map.of("grant_type", "client_credentials")).scope().isEmpty())
                .isTrue();
    }

    @Test
    void requestTokenWhenBodyIsEndlessThenRefusedWithoutReadingItAll() {
        server.enqueue(endlessBody());
        long start = System.nanoTime();

        ConduitException e = requestFails();

        // reading to the end would never finish: the client must stop at 64 KiB, well before the read timeout
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN_RESPONSE);
        assertThat(e.getMessage()).contains("64 KiB");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenBodyIsExactly64KiBThenRead() {
        server.enqueue(largeJson(64 * 1024));

        assertThat(endpoint(system()).requestToken(CLIENT_CREDENTIALS).accessToken().reveal())
                .isEqualTo("large-body-token");
    }

    @Test
    void requestTokenWhenRedirectedThenNotFollowed() {
        server.enqueue(redirect(server.url("/elsewhere")));
        server.path("/elsewhere").setDefault(okToken(TOKEN, 60));

        ConduitException e = requestFails();

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN_RESPONSE);
        assertThat(e.getMessage()).contains("redirected").contains("127.0.0.1");
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(server.requestCount("/elsewhere")).isZero();
    }

    @Test
    void requestTokenWhenRateLimitedThenRetryAfterFromHeader() {
        server.enqueue(rateLimited("1"));

        ConduitException e = requestFails();

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenRateLimitedWithHttpDateThenWaitUntilThatDate() {
        server.enqueue(rateLimited("Sat, 01 Mar 2025 10:00:30 GMT"));

        ConduitException e = requestFails();

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
    }

    @Test
    void requestTokenWhenUnavailableWithRetryAfterThenWaitKept() {
        server.enqueue(status(503).withHeader("Retry-After", "7"));

        ConduitException e = requestFails();

        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void requestTokenWhenInvalidClientThenOAuthErrorKeptAndStripped() {
        server.enqueue(fixture(401, "error-invalid-client.json"));

        ConduitException e = requestFails();

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        OAuthError error = e.oauthError().orElseThrow();
        assertThat(error.error()).isEqualTo("invalid_client");
        assertThat(error.errorDescription()).startsWith("Client authentication failed").doesNotContain("\n", "<");
        assertThat(error.errorUri()).isEqualTo("https://idp.example.com/errors#invalid_client");
        assertThat(e.getMessage()).contains("invalid_client");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenServerEchoesTheSecretThenMaskedInError() {
        server.enqueue(oauthError(401, "invalid_client", "secret " + TestSystems.CLIENT_SECRET + " is wrong"));

        ConduitException e = requestFails();

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        assertThat(e.oauthError().orElseThrow().errorDescription()).doesNotContain(TestSystems.CLIENT_SECRET);
    }

    @Test
    void requestTokenWhenServerNeverAnswersThenUnavailableWithinReadTimeout() {
        server.enqueue(hang());
        HttpTokenEndpointFactory fast = new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(),
                TestSystems.fastSettings(), CLOCK);
        long start = System.nanoTime();

        ConduitException e = LEAKS.capture(() -> assertThrows(fast.forSystem(system().build())));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(450)).isLessThan(Duration.ofMillis(2000));
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenServerAnswersTooLateThenUnavailable() {
        server.enqueue(okToken(TOKEN, 60).withDelay(Duration.ofSeconds(2)));
        HttpTokenEndpointFactory fast = new HttpTokenEndpointFactory(TestSystems.loopbackPolicy(),
                TestSystems.fastSettings(), CLOCK);

        ConduitException e = LEAKS.capture(() -> assertThrows(fast.forSystem(system().build())));

        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void requestTokenWhenNothingListensThenUnavailable() {
        String url = server.tokenUrl();
        server.close();

        ConduitException e = LEAKS.capture(() -> assertThrows(endpoint(system().tokenEndpoint(url).build())));

        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNAVAILABLE);
        assertThat(e.field()).contains("tokenEndpoint");
    }

    @Test
    void requestTokenWhenPolicyRefusesUrlThenNoRequestSent() {
        server.enqueue(okToken(TOKEN, 60));
        HttpTokenEndpointFactory strict = new HttpTokenEndpointFactory(new EndpointPolicy(false, List.of(), HostResolver.SYSTEM),
                HttpSettings.DEFAULT, CLOCK);

        ConduitException e = LEAKS.capture(() -> assertThrows(strict.forSystem(system().build())));

        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
        assertThat(e.field()).contains("tokenEndpoint");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void requestTokenWhenNestedTokenKeyThenTokenAndSiblingsRead() {
        server.enqueue(fixture(200, "token-nested.json"));
        ConnectedSystem system = system().tokenResponseKey("data.token").build();

        TokenSet tokens = endpoint(system).requestToken(CLIENT_CREDENTIALS);

        assertThat(tokens.accessToken().reveal()).isEqualTo("nested-fixture-token-9c2e41");
        assertThat(tokens.expiresAt()).isEqualTo(NOW.plusSeconds(1800));
    }

    private ConduitException requestFails() {
        return LEAKS.capture(() -> assertThrows(endpoint(system().build())));
    }

    private static ConduitException assertThrows(HttpTokenEndpoint endpoint) {
        Throwable thrown = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                () -> endpoint.requestToken(CLIENT_CREDENTIALS));
        LEAKS.collect(thrown);
        return (ConduitException) thrown;
    }

    private ConnectedSystem.Builder system() {
        return TestSystems.clientCredentials(server);
    }

    private HttpTokenEndpoint endpoint(ConnectedSystem.Builder builder) {
        return endpoint(builder.build());
    }

    private HttpTokenEndpoint endpoint(ConnectedSystem system) {
        return factory.forSystem(system);
    }

    private static ScriptedResponse tokenWith(String members) {
        return json(200, "{\"access_token\":\"" + TOKEN + "\"," + members + "}");
    }
}
