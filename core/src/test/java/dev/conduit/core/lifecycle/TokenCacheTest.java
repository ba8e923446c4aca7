package dev.conduit.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import org.junit.jupiter.api.Test;

class TokenCacheTest {

    private final TokenCache<String> cache = new TokenCache<>();

    @Test
    void getWhenPutForApplicationThenNeverServedForAUserOrAnotherSystem() {
        cache.put(new TokenKey("crm", Subject.application()), "app-token");

        assertThat(cache.get("crm", Subject.application())).isEqualTo("app-token");
        assertThat(cache.get("crm", Subject.user("alice"))).isNull();
        assertThat(cache.get("erp", Subject.application())).isNull();
    }

    @Test
    void getWhenPutForOneUserThenServedToThatUserOnly() {
        cache.put(new TokenKey("crm", Subject.user("alice")), "alice-token");
        cache.put(new TokenKey("crm", Subject.user("bob")), "bob-token");

        assertThat(cache.get(new String("crm".toCharArray()), Subject.user(new String("alice".toCharArray()))))
                .isEqualTo("alice-token");
        assertThat(cache.get("crm", Subject.user("bob"))).isEqualTo("bob-token");
        assertThat(cache.get("crm", Subject.application())).isNull();
    }

    @Test
    void evictExpiredWhenUsersTokensExpiredThenOnlyTheyAreForgottenAndEmptySystemsDropped() {
        TokenCache<Long> expiring = new TokenCache<>(expiresAt -> expiresAt);
        for (int i = 0; i < 1000; i++) {
            expiring.put(new TokenKey("crm", Subject.user("idle-" + i)), 1_000L);
        }
        expiring.put(new TokenKey("crm", Subject.user("active")), 5_000L);
        expiring.put(new TokenKey("erp", Subject.user("idle")), 1_000L);

        assertThat(expiring.evictExpired(1_000L)).isTrue();

        assertThat(expiring.size()).isEqualTo(1);
        assertThat(expiring.get("crm", Subject.user("active"))).isEqualTo(5_000L);
        assertThat(expiring.get("crm", Subject.user("idle-0"))).isNull();
        assertThat(expiring.get("erp", Subject.user("idle"))).isNull();
    }

    @Test
    void evictExpiredWhenSweptLessThanAnIntervalAgoThenDoesNothing() {
        TokenCache<Long> expiring = new TokenCache<>(expiresAt -> expiresAt);
        assertThat(expiring.evictExpired(0L)).isTrue();
        expiring.put(new TokenKey("crm", Subject.user("alice")), 10L);

        assertThat(expiring.evictExpired(TokenCache.SWEEP_INTERVAL_MILLIS - 1)).isFalse();
        assertThat(expiring.size()).isEqualTo(1);
        assertThat(expiring.evictExpired(TokenCache.SWEEP_INTERVAL_MILLIS)).isTrue();
        assertThat(expiring.size()).isZero();
    }

    @Test
    void removeIfWhenConditionFailsThenKeepsTheNewerToken() {
        TokenKey app = new TokenKey("crm", Subject.application());
        TokenKey alice = new TokenKey("crm", Subject.user("alice"));
        cache.put(app, "new-app-token");
        cache.put(alice, "new-alice-token");

        cache.removeIf(app, "old-app-token"::equals);
        cache.removeIf(alice, "old-alice-token"::equals);

        assertThat(cache.get("crm", Subject.application())).isEqualTo("new-app-token");
        assertThat(cache.get("crm", Subject.user("alice"))).isEqualTo("new-alice-token");
    }

    @Test
    void removeIfWhenConditionHoldsThenForgetsOnlyThatSubject() {
        TokenKey app = new TokenKey("crm", Subject.application());
        TokenKey alice = new TokenKey("crm", Subject.user("alice"));
        cache.put(app, "app-token");
        cache.put(alice, "alice-token");

        cache.removeIf(app, "app-token"::equals);
        cache.remove(new TokenKey("crm", Subject.user("bob")));

        assertThat(cache.get("crm", Subject.application())).isNull();
        assertThat(cache.get("crm", Subject.user("alice"))).isEqualTo("alice-token");
    }

    @Test
    void removeSystemWhenSeveralSystemsHeldThenForgetsOnlyThatSystem() {
        cache.put(new TokenKey("crm", Subject.application()), "crm-app");
        cache.put(new TokenKey("crm", Subject.user("alice")), "crm-alice");
        cache.put(new TokenKey("erp", Subject.user("alice")), "erp-alice");

        cache.removeSystem("crm");

        assertThat(cache.get("crm", Subject.application())).isNull();
        assertThat(cache.get("crm", Subject.user("alice"))).isNull();
        assertThat(cache.get("erp", Subject.user("alice"))).isEqualTo("erp-alice");
    }

    @Test
    void getWhenSystemOrSubjectMissingThenNothing() {
        cache.put(new TokenKey("crm", Subject.application()), "app-token");

        assertThat(cache.get(null, Subject.application())).isNull();
        assertThat(cache.get("crm", null)).isNull();
    }
}
