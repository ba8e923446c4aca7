package dev.conduit.core.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Remembers values for a fixed time, holding at most a fixed number of them; safe for concurrent use. A read is one
 * {@link ConcurrentHashMap} lookup and a clock read, without a lock, since the callers sit on the path of every
 * request.
 *
 * <ul>
 *   <li>A value put at instant {@code t} is found until {@code t + timeToLive} (excluded); an expired value is removed
 *       when it is next looked up, or when the map is full.</li>
 *   <li>When full, expired values are dropped; if none has expired, the new key is not remembered (values already
 *       remembered are kept, and an existing key may always be replaced). What is remembered is never evicted early,
 *       so a flood of new keys costs those keys a lookup each, never the keys already known.</li>
 *   <li>{@link #size()} never exceeds {@code maxEntries}, not even under concurrent puts.</li>
 *   <li>A time to live of zero (or less) remembers nothing.</li>
 * </ul>
 *
 * @param <K> the key, compared by {@code equals}
 * @param <V> the value, never {@code null}
 */
public final class ExpiringMap<K, V> {

    private record Entry<V>(V value, long expiresAtMillis) {
    }

    private final Clock clock;
    private final long timeToLiveMillis;
    private final int maxEntries;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    /** Slots taken: counted up before a new key goes in and down after one comes out, so never below the size. */
    private final AtomicInteger taken = new AtomicInteger();
    /**
     * When full, no entry expires before this instant, so a put need not look for expired ones until then: without it,
     * every put into a full map would scan the whole map.
     */
    private volatile long nextExpiryMillis = Long.MIN_VALUE;

    public ExpiringMap(Clock clock, Duration timeToLive, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeToLiveMillis = Math.max(0, timeToLive.toMillis());
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** The value put for {@code key} less than the time to live ago. */
    public Optional<V> get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (clock.millis() < entry.expiresAtMillis()) {
            return Optional.of(entry.value());
        }
        removeEntry(key, entry);
        return Optional.empty();
    }

    /**
     * Remembers {@code value} for {@code key} from now for the time to live, replacing any earlier value; returns
     * whether it is remembered (not when the time to live is zero, or when the map is full of unexpired values).
     */
    public boolean put(K key, V value) {
        Objects.requireNonNull(value, "value");
        if (timeToLiveMillis == 0) {
            return false;
        }
        long now = clock.millis();
        if (taken.get() >= maxEntries && !entries.containsKey(key)) {
            dropExpired(now);
        }
        // saturated: a time to live of years must not wrap around into the past
        long expiresAt = now > Long.MAX_VALUE - timeToLiveMillis ? Long.MAX_VALUE : now + timeToLiveMillis;
        Entry<V> entry = new Entry<>(value, expiresAt);
        boolean[] kept = {true};
        entries.compute(key, (k, old) -> {
            if (old == null && !takeSlot()) {
                kept[0] = false;
                return null;
            }
            return entry;
        });
        return kept[0];
    }

    /** Forgets {@code key}. */
    public void remove(K key) {
        if (entries.remove(key) != null) {
            taken.decrementAndGet();
        }
    }

    /** Forgets every key. */
    public void clear() {
        entries.forEach(this::removeEntry);
    }

    /** How many values are held, expired ones not yet dropped included. */
    public int size() {
        return entries.size();
    }

    private boolean takeSlot() {
        while (true) {
            int now = taken.get();
            if (now >= maxEntries) {
                return false;
            }
            if (taken.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private void removeEntry(K key, Entry<V> entry) {
        if (entries.remove(key, entry)) {
            taken.decrementAndGet();
        }
    }

    /** Drops the expired entries, unless none can have expired since the last look. */
    private void dropExpired(long now) {
        if (now < nextExpiryMillis) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (Map.Entry<K, Entry<V>> e : entries.entrySet()) {
            long expiresAt = e.getValue().expiresAtMillis();
            if (now >= expiresAt) {
                removeEntry(e.getKey(), e.getValue());
            } else if (expiresAt < next) {
                next = expiresAt;
            }
        }
        nextExpiryMillis = next;
    }

    @Override
    public String toString() {
        return "ExpiringMap[" + size() + " of at most " + maxEntries + ", for " + Duration.ofMillis(timeToLiveMillis)
                + "]";
    }
}
