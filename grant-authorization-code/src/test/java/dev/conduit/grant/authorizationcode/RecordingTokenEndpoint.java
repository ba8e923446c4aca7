package dev.conduit.grant.authorizationcode;

import dev.conduit.api.ConduitException;
import dev.conduit.api.Secret;
import dev.conduit.api.grant.TokenEndpoint;
import dev.conduit.api.system.Scope;
import dev.conduit.api.token.TokenSet;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A token endpoint that records what a grant sends and answers what the test scripted; no network. */
final class RecordingTokenEndpoint implements TokenEndpoint {

    record Revocation(String token, String hint) {
    }

    final List<Map<String, String>> tokenRequests = new ArrayList<>();
    final List<Revocation> revocations = new ArrayList<>();
    private final Deque<Supplier<TokenSet>> tokenAnswers = new ArrayDeque<>();
    private final Deque<Supplier<Boolean>> revocationAnswers = new ArrayDeque<>();

    static TokenSet tokens(String access, String refresh, String scope) {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        return new TokenSet(Secret.of(access), "Bearer", now, now.plusSeconds(3600), Secret.ofNullable(refresh),
                Scope.parse(scope));
    }

    RecordingTokenEndpoint answer(TokenSet tokens) {
        tokenAnswers.add(() -> tokens);
        return this;
    }

    RecordingTokenEndpoint fail(ConduitException e) {
        tokenAnswers.add(() -> {
            throw e;
        });
        return this;
    }

    RecordingTokenEndpoint revocationAnswers(boolean... answers) {
        for (boolean answer : answers) {
            revocationAnswers.add(() -> answer);
        }
        return this;
    }

    RecordingTokenEndpoint revocationFails(ConduitException e) {
        revocationAnswers.add(() -> {
            throw e;
        });
        return this;
    }

    @Override
    public TokenSet requestToken(Map<String, String> parameters) {
        tokenRequests.add(Map.copyOf(parameters));
        if (tokenAnswers.isEmpty()) {
            throw new AssertionError("unexpected token request");
        }
        return tokenAnswers.poll().get();
    }

    @Override
    public boolean revoke(Secret token, String tokenTypeHint) {
        revocations.add(new Revocation(token.reveal(), tokenTypeHint));
        return revocationAnswers.isEmpty() ? false : revocationAnswers.poll().get();
    }
}
