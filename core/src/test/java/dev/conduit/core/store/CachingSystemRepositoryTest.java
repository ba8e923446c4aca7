package dev.conduit.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.core.testing.CountingSystemRepository;
import dev.conduit.core.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachingSystemRepositoryTest {

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final InMemoryConnectedSystemRepository stored = new InMemoryConnectedSystemRepository(clock);
    private final CountingSystemRepository counting = new CountingSystemRepository(stored);
    private final CachingSystemRepository cache = new CachingSystemRepository(counting, clock, Duration.ofSeconds(2));

    private static ConnectedSystem system(String scope) {
        return ConnectedSystem.builder().name("orders").grantType("client_credentials")
                .tokenEndpoint("https://idp.example.com/token").clientId("conduit").scope(scope).build();
    }

    @Test
    void findWhenReadTwiceWithinTimeToLiveThenDelegateReadOnce() {
        cache.create(system("read"));

        cache.find("orders");
        cache.find("orders");

        assertThat(counting.finds()).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        cache.find("orders");
        assertThat(counting.finds()).hasValue(2);
    }

    @Test
    void findWhenUpdatedThroughCacheThenNewVersionAtOnce() {
        ConnectedSystem created = cache.create(system("read"));
        cache.find("orders");

        cache.update(created.toBuilder().scope("read write").build());

        assertThat(cache.find("orders").orElseThrow().tokenRequest().scope()).hasToString("read write");
    }

    @Test
    void findWhenDeletedThroughCacheThenAbsentAtOnce() {
        cache.create(system("read"));
        cache.find("orders");

        cache.delete("orders");

        assertThat(cache.find("orders")).isEmpty();
    }

    @Test
    void findWhenEditedElsewhereThenSeenAfterTimeToLive() {
        ConnectedSystem created = cache.create(system("read"));
        cache.find("orders");

        stored.update(created.toBuilder().scope("admin").build());

        assertThat(cache.find("orders").orElseThrow().tokenRequest().scope()).hasToString("read");
        clock.advance(Duration.ofMillis(2001));
        assertThat(cache.find("orders").orElseThrow().tokenRequest().scope()).hasToString("admin");
    }

    @Test
    void statusWhenChangedThenNeverCached() {
        cache.create(system("read"));
        cache.status("orders");

        stored.setStatus("orders", SystemStatus.error(dev.conduit.api.ErrorCode.INVALID_CLIENT, "wrong secret",
                clock.instant()));

        assertThat(cache.status("orders").isOk()).isFalse();
    }
}
