package dev.conduit.core.config;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The systems declared in configuration over the systems stored by administrators. A declared system is read-only:
 * creating, editing or deleting one is {@code READ_ONLY_SYSTEM}, naming the property to change instead. Its status is
 * kept in memory on each server, since nothing of it is stored.
 */
public final class LayeredSystemRepository implements ConnectedSystemRepository {

    /** Case-insensitive, then case-sensitive: one order for declared and stored systems, whatever the database. */
    public static final Comparator<String> NAME_ORDER =
            String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

    private final ConfiguredSystems declared;
    private final ConnectedSystemRepository stored;
    private final Clock clock;
    private final Map<String, SystemStatus> declaredStatus = new ConcurrentHashMap<>();

    public LayeredSystemRepository(ConfiguredSystems declared, ConnectedSystemRepository stored, Clock clock) {
        this.declared = declared;
        this.stored = stored;
        this.clock = clock;
    }

    @Override
    public Optional<ConnectedSystem> find(String name) {
        Optional<ConnectedSystem> fromConfig = declared.find(name);
        return fromConfig.isPresent() ? fromConfig : stored.find(name);
    }

    @Override
    public Optional<ConnectedSystem> findCurrent(String name) {
        Optional<ConnectedSystem> fromConfig = declared.find(name);
        return fromConfig.isPresent() ? fromConfig : stored.findCurrent(name);
    }

    @Override
    public List<ConnectedSystem> findAll() {
        List<ConnectedSystem> all = new ArrayList<>(declared.all());
        stored.findAll().stream().filter(s -> !declared.declares(s.name())).forEach(all::add);
        all.sort(Comparator.comparing(ConnectedSystem::name, NAME_ORDER));
        return all;
    }

    @Override
    public ConnectedSystem create(ConnectedSystem system) {
        declared.requireWritable(system.name());
        return stored.create(system);
    }

    @Override
    public ConnectedSystem update(ConnectedSystem system) {
        declared.requireWritable(system.name());
        return stored.update(system);
    }

    @Override
    public boolean delete(String name) {
        declared.requireWritable(name);
        return stored.delete(name);
    }

    @Override
    public SystemStatus status(String name) {
        if (declared.declares(name)) {
            return declaredStatus.getOrDefault(name, SystemStatus.ok(clock.instant()));
        }
        return stored.status(name);
    }

    @Override
    public void setStatus(String name, SystemStatus status) {
        if (declared.declares(name)) {
            declaredStatus.put(name, status);
        } else {
            stored.setStatus(name, status);
        }
    }
}
