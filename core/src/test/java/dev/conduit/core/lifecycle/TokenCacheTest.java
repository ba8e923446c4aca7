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
