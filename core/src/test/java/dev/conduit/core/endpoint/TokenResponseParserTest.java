package dev.conduit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.TokenSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parser alone, fed with the JSON fixtures in {@code src/test/resources/fixtures}. */
class TokenResponseParserTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Scope REQUESTED = Scope.parse("read write");

    private final TokenResponseParser parser =
            new TokenResponseParser("access_token", Duration.ofMinutes(30), "fixture-system", CLOCK);

    @Test
    void interpretWhenStandardResponseThenEveryMemberRead() {
        TokenSet tokens = parser.interpret(ok("token-ok.json"), REQUESTED, List.of());

        assertThat(tokens.accessToken().reveal()).isEqualTo("eyJhbGciOiJSUzI1NiJ9.fixture-access-token.c2lnbmF0dXJl");
        assertThat(tokens.tokenType()).isEqualTo("Bearer");
        assertThat(tokens.issuedAt()).isEqualTo(NOW);
        assertThat(tokens.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(tokens.refreshToken().reveal()).isEqualTo("fixture-refresh-token-4b1d7e");
        assertThat(tokens.scope()).isEqualTo(Scope.parse("read"));
    }

    @Test
    void interpretWhenNoExpiresInThenDefaultLifetimeAndRequestedScope() {
        TokenSet tokens = parser.interpret(ok("token-no-expires-in.json"), REQUESTED, List.of());

        assertThat(tokens.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(tokens.scope()).isEqualTo(REQUESTED);
    }

    @Test
    void interpretWhenScopeIsAnArrayThenTokensKept() {
        assertThat(parser.interpret(ok("token-scope-array.json"), REQUESTED, List.of()).scope())
                .isEqualTo(Scope.parse("read profile"));
    }

    @Test
    void interpretWhenTokenKeyIsADottedPathThenNestedTokenRead() {
        TokenResponseParser nested = new TokenResponseParser("data.token", Duration.ofMinutes(30), null, CLOCK);

        TokenSet tokens = nested.interpret(ok("token-nested.json"), REQUESTED, List.of());

        assertThat(tokens.accessToken().reveal()).isEqualTo("nested-fixture-token-9c2e41");
        assertThat(tokens.tokenType()).isEqualTo("Bearer");
        assertThat(tokens.expiresAt()).isEqualTo(NOW.plusSeconds(1800));
    }

    @Test
    void interpretWhenNestedTokenBesideAnotherThenItsOwnSiblingsDescribeIt() {
        TokenResponseParser nested = new TokenResponseParser("authed_user.access_token", Duration.ofMinutes(30),
                java.util.Set.of("user"), null, CLOCK);

        TokenSet tokens = nested.interpret(ok("token-nested-beside-another.json"), REQUESTED, List.of());

        assertThat(tokens.accessToken().reveal()).isEqualTo("xoxp-user-token-77d2e0");
        assertThat(tokens.tokenType()).isEqualTo("Bearer");
        assertThat(tokens.scope()).isEqualTo(Scope.parse("chat:write"));
        assertThat(tokens.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
    }

    @Test
    void interpretWhenTokenTypeIsNotBearerNorListedThenInvalidTokenResponse() {
        TokenResponseParser nested = new TokenResponseParser("authed_user.access_token", Duration.ofMinutes(30),
                null, CLOCK);

        assertThatThrownBy(() -> nested.interpret(ok("token-nested-beside-another.json"), REQUESTED, List.of()))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN_RESPONSE);
                    assertThat(e.getMessage()).contains("'user'").doesNotContain("xoxp-user-token-77d2e0");
                });
    }

    @Test
    void interpretWhenDottedPathMissingThenInvalidTokenResponseNamingTheKey() {
        TokenResponseParser nested = new TokenResponseParser("data.jwt", Duration.ofMinutes(30), null, CLOCK);

        assertThatThrownBy(() -> nested.interpret(ok("token-nested.json"), REQUESTED, List.of()))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN_RESPONSE);
                    assertThat(e.field()).contains("tokenResponseKey");
                    assertThat(e.getMessage()).contains("data.jwt").doesNotContain("nested-fixture-token-9c2e41");
                });
    }

    @Test
    void interpretWhenDuplicateKeysThenInvalidTokenResponse() {
        assertCode(ok("token-duplicate-key.json"), ErrorCode.INVALID_TOKEN_RESPONSE);
    }

    @Test
    void interpretWhenContentAfterTheObjectThenInvalidTokenResponseWithoutTheToken() {
        TokenHttpResponse trailing = TokenHttpResponse.of(200, Map.of(), ("{\"access_token\": \"at-trailing-5e1f\", "
                + "\"token_type\": \"Bearer\"} {\"access_token\": \"at-second-77a0\"}").getBytes(StandardCharsets.UTF_8));

        ConduitException e = assertCode(trailing, ErrorCode.INVALID_TOKEN_RESPONSE);

        assertThat(e.getMessage()).contains("not valid JSON").doesNotContain("at-trailing-5e1f", "at-second-77a0");
    }

    @Test
    void interpretWhenErrorObjectIn200ThenOAuthErrorKept() {
        ConduitException e = assertCode(ok("token-error-in-200.json"), ErrorCode.TOKEN_ENDPOINT_ERROR);

        assertThat(e.oauthError().orElseThrow().error()).isEqualTo("bad_verification_code");
        assertThat(e.oauthError().orElseThrow().errorUri()).isEqualTo("https://docs.example.com/oauth#bad-code");
    }

    @Test
    void interpretWhenErrorIsInvalidClientThenDescriptionStrippedOfMarkupAndLineBreaks() {
        ConduitException e = assertCode(response(401, "error-invalid-client.json"), ErrorCode.INVALID_CLIENT);

        assertThat(e.oauthError().orElseThrow().errorDescription())
                .isEqualTo("Client authentication failedscriptalert(1)/script");
        assertThat(e.systemName()).contains("fixture-system");
    }

    @Test
    void interpretWhenRateLimitedWithoutRetryAfterThenNoWait() {
        ConduitException e = assertCode(TokenHttpResponse.of(429, Map.of(), new byte[0]), ErrorCode.RATE_LIMITED);

        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void interpretWhenTooLargeThenInvalidWhateverTheBody() {
        TokenHttpResponse large = new TokenHttpResponse(200, Map.of(), read("token-ok.json"), true);

        ConduitException e = assertCode(large, ErrorCode.INVALID_TOKEN_RESPONSE);

        assertThat(e.getMessage()).contains("64 KiB").doesNotContain("fixture-access-token");
    }

    @Test
    void interpretWhenSentSecretEchoedInDescriptionThenMasked() {
        TokenHttpResponse echo = TokenHttpResponse.of(400, Map.of(), ("{\"error\":\"invalid_grant\","
                + "\"error_description\":\"refresh token rt-0123456789 expired\"}").getBytes(StandardCharsets.UTF_8));

        ConduitException e = assertThrows(() -> parser.interpret(echo, REQUESTED, List.of("rt-0123456789")));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GRANT);
        assertThat(e.oauthError().orElseThrow().errorDescription()).isEqualTo("refresh token *** expired");
    }

    private ConduitException assertCode(TokenHttpResponse response, ErrorCode code) {
        ConduitException e = assertThrows(() -> parser.interpret(response, REQUESTED, List.of()));
        assertThat(e.code()).isEqualTo(code);
        return e;
    }

    private static ConduitException assertThrows(Runnable action) {
        return org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class, action::run);
    }

    private static TokenHttpResponse ok(String fixture) {
        return response(200, fixture);
    }

    private static TokenHttpResponse response(int status, String fixture) {
        return TokenHttpResponse.of(status, Map.of("Content-Type", List.of("application/json")), read(fixture));
    }

    private static byte[] read(String fixture) {
        try (InputStream in = TokenResponseParserTest.class.getResourceAsStream("/fixtures/" + fixture)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
