package dev.conduit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.TokenSet;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The wire values of a token endpoint's answers, read on their own. */
class TokenResponseTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final TokenResponse.Shape PLAIN = new TokenResponse.Shape("access_token", Set.of(), "crm");

    private static JsonValue json(String text) {
        return TokenResponseParser.parseJson(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parseWhenEveryMemberThenValuesAndToStringShowsNoToken() {
        TokenResponse response = TokenResponse.parse(json("""
                {"access_token": "at-6c1f", "token_type": "bearer", "expires_in": "120",
                 "refresh_token": "rt-93d0", "scope": ["read", "write"]}"""), PLAIN);

        assertThat(response.accessToken().reveal()).isEqualTo("at-6c1f");
        assertThat(response.expiresIn()).contains(Duration.ofSeconds(120));
        assertThat(response.refreshToken().orElseThrow().reveal()).isEqualTo("rt-93d0");
        assertThat(response.scope()).contains(Scope.parse("read write"));
        assertThat(response.toString()).doesNotContain("at-6c1f").doesNotContain("rt-93d0");
    }

    @Test
    void toTokenSetWhenLifetimeAndScopeLeftOutThenDefaultLifetimeAndScopeRequested() {
        TokenSet tokens = TokenResponse.parse(json("{\"access_token\": \"at\", \"token_type\": \"Bearer\"}"), PLAIN)
                .toTokenSet(NOW, Duration.ofMinutes(30), Scope.parse("read"));

        assertThat(tokens.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(tokens.scope()).isEqualTo(Scope.parse("read"));
        assertThat(tokens.refreshToken()).isNull();
    }

    @Test
    void parseWhenTokenTypeNotBearerThenInvalidTokenResponseNamingSystem() {
        assertThatThrownBy(() -> TokenResponse.parse(json("{\"access_token\": \"at\", \"token_type\": \"mac\"}"),
                PLAIN)).isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN_RESPONSE);
                    assertThat(e.systemName()).contains("crm");
                });
    }

    @Test
    void errorResponseParseWhenServerEchoesSecretThenScrubbedAndMappedToInvalidClient() {
        ErrorResponse error = ErrorResponse.parse(401, json("""
                {"error": "invalid_client", "error_description": "bad secret s3cr3t-value"}"""),
                List.of("s3cr3t-value")).orElseThrow();

        assertThat(error.error().errorDescription()).doesNotContain("s3cr3t-value");
        assertThat(error.toException("crm").code()).isEqualTo(ErrorCode.INVALID_CLIENT);
        assertThat(error.toException("crm").field()).contains("clientSecret");
        assertThat(ErrorResponse.parse(400, json("{\"error\": \"\"}"), List.of())).isEmpty();
    }
}
