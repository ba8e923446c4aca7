package dev.conduit.core.observe;

import java.util.function.BiConsumer;

/**
 * Hears what the token engine does, for metrics and traces. Implementations must be fast, thread-safe and never throw;
 * they receive system names and codes, never a token, secret or user.
 */
public interface EngineObserver {

    /** Observes nothing: the engine's default, so core runs and is benchmarked without any observer. */
    EngineObserver NONE = new EngineObserver() {
    };

    /** A token was served from memory; called on the hot path, so it must not allocate, lock or look anything up. */
    default void cacheHit() {
    }

    /** A token was not in memory or was due for refresh: the slow path runs. */
    default void cacheMiss() {
    }

    /** One request to {@code system}'s token endpoint begins; end the returned observation exactly once. */
    default Observation tokenRequest(String system, String grantType, TokenRequestKind kind) {
        return Observation.NONE;
    }

    /**
     * One integration call to {@code system}'s resource server begins; {@code headers} adds request headers (trace
     * context) before it is sent. End the returned observation exactly once.
     */
    default Observation integrationCall(String system, String method, BiConsumer<String, String> headers) {
        return Observation.NONE;
    }

    /** The resource server rejected {@code system}'s token, so the call is repeated once with a renewed token. */
    default void renewedAfterRejection(String system) {
    }

    /** Tells every one of {@code observers}, in order. */
    static EngineObserver all(EngineObserver... observers) {
        return new CompositeObserver(observers.clone());
    }
}
