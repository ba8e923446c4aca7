package dev.conduit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.Secret;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.TokenSet;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GrantedTokensTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private static TokenSet answer(String access, String refresh, String scope) {
        return new TokenSet(Secret.of(access), "Bearer", NOW, NOW.plusSeconds(300), Secret.ofNullable(refresh),
                Scope.parse(scope));
    }

    @Test
    void issuedWhenAnswerNamesNoScopeThenScopeRequestedGranted() {
        TokenSet issued = GrantedTokens.issued(answer("at-1", null, null), Scope.parse("read write"));

        assertThat(issued.scope()).isEqualTo(Scope.parse("read write"));
        assertThat(issued.accessToken().reveal()).isEqualTo("at-1");
    }

    @Test
    void issuedWhenAnswerNamesNarrowerScopeThenAnswerWins() {
        assertThat(GrantedTokens.issued(answer("at-1", null, "read"), Scope.parse("read write")).scope())
                .isEqualTo(Scope.parse("read"));
    }

    @Test
    void refreshedWhenAnswerHasNoRefreshTokenNorScopeThenBothKeptFromBefore() {
        TokenSet refreshed = GrantedTokens.refreshed(answer("at-2", null, null), answer("at-1", "rt-1", "read"));

        assertThat(refreshed.accessToken().reveal()).isEqualTo("at-2");
        assertThat(refreshed.refreshToken().reveal()).isEqualTo("rt-1");
        assertThat(refreshed.scope()).isEqualTo(Scope.parse("read"));
    }

    @Test
    void refreshedWhenAnswerRotatesAndNarrowsThenAnswerWins() {
        TokenSet refreshed = GrantedTokens.refreshed(answer("at-2", "rt-2", "read"), answer("at-1", "rt-1", "read write"));

        assertThat(refreshed.refreshToken().reveal()).isEqualTo("rt-2");
        assertThat(refreshed.scope()).isEqualTo(Scope.parse("read"));
    }
}
