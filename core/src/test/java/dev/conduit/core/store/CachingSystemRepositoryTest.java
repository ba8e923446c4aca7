package dev.conduit.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingSystemRepositoryTest {

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final InMemoryConnectedSystemRepository stored = new InMemoryConnectedSystemRepository(clock);
    private final AtomicInteger reads = new AtomicInteger();
    private final ConnectedSystemRepository counting = new ConnectedSystemRepository() {
        @Override
        public Optional<ConnectedSystem> find(String name) {
            reads.incrementAndGet();
            return stored.find(name);
        }

        @Override
        public List<ConnectedSystem> findAll() {
            return stored.findAll();
        }

        @Override
        public ConnectedSystem create(ConnectedSystem system) {
            return stored.create(system);
        }

        @Override
        public ConnectedSystem update(ConnectedSystem system) {
            return stored.update(system);
        }

        @Override
        public boolean delete(String name) {
            return stored.delete(name);
        }

        @Override
        public SystemStatus status(String name) {
            return stored.status(name);
        }

        @Override
        public void setStatus(String name, SystemStatus status) {
            stored.setStatus(name, status);
        }
    };
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

        assertThat(reads).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        cache.find("orders");
        assertThat(reads).hasValue(2);
    }

    @Test
    void findWhenUpdatedThroughCacheThenNewVersionAtOnce() {
        ConnectedSystem created = cache.create(system("read"));
        cache.find("orders");

        cache.update(created.toBuilder().scope("read write").build());

        assertThat(cache.find("orders").orElseThrow().scope()).hasToString("read write");
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

        assertThat(cache.find("orders").orElseThrow().scope()).hasToString("read");
        clock.advance(Duration.ofMillis(2001));
        assertThat(cache.find("orders").orElseThrow().scope()).hasToString("admin");
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
