package dev.conduit.core.store;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Connected systems in this JVM's memory, lost at exit: the repository of unit tests, of the benchmarks and of an
 * application that embeds the engine without a database. The server keeps systems in its database
 * ({@code JdbcConnectedSystemRepository}). Thread-safe; updates are optimistic on the version.
 */
public final class InMemoryConnectedSystemRepository implements ConnectedSystemRepository {

    private final Map<String, ConnectedSystem> systems = new TreeMap<>();
    private final Map<String, SystemStatus> statuses = new TreeMap<>();
    private final Clock clock;

    public InMemoryConnectedSystemRepository(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Optional<ConnectedSystem> find(String name) {
        return Optional.ofNullable(systems.get(name));
    }

    @Override
    public synchronized List<ConnectedSystem> findAll() {
        return List.copyOf(new ArrayList<>(systems.values()));
    }

    @Override
    public synchronized ConnectedSystem create(ConnectedSystem system) {
        if (systems.containsKey(system.name())) {
            throw ConduitException.builder(ErrorCode.DUPLICATE_SYSTEM,
                    "name: a connected system named '" + system.name() + "' already exists").field("name").build();
        }
        ConnectedSystem stored = system.toBuilder().version(1).build();
        systems.put(stored.name(), stored);
        statuses.put(stored.name(), SystemStatus.ok(clock.instant()));
        return stored;
    }

    @Override
    public synchronized ConnectedSystem update(ConnectedSystem system) {
        ConnectedSystem current = systems.get(system.name());
        if (current == null) {
            throw ConnectedSystemRepository.unknown(system.name());
        }
        if (current.version() != system.version()) {
            throw new ConduitException(ErrorCode.CONCURRENT_MODIFICATION, "connected system '" + system.name()
                    + "' is at version " + current.version() + ", not " + system.version());
        }
        ConnectedSystem stored = system.toBuilder().version(current.version() + 1).build();
        systems.put(stored.name(), stored);
        return stored;
    }

    @Override
    public synchronized boolean delete(String name) {
        statuses.remove(name);
        return systems.remove(name) != null;
    }

    @Override
    public synchronized SystemStatus status(String name) {
        if (!systems.containsKey(name)) {
            throw ConnectedSystemRepository.unknown(name);
        }
        return statuses.getOrDefault(name, SystemStatus.ok(clock.instant()));
    }

    @Override
    public synchronized void setStatus(String name, SystemStatus status) {
        if (!systems.containsKey(name)) {
            throw ConnectedSystemRepository.unknown(name);
        }
        statuses.put(name, status);
    }

}
