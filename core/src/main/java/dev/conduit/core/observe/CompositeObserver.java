package dev.conduit.core.observe;

import dev.conduit.api.ErrorCode;
import java.util.function.BiConsumer;

/** Several observers as one (metrics and traces): each event goes to each, in order. */
final class CompositeObserver implements EngineObserver {

    private final EngineObserver[] observers;

    CompositeObserver(EngineObserver[] observers) {
        this.observers = observers;
    }

    @Override
    public void cacheHit() {
        for (EngineObserver observer : observers) {
            observer.cacheHit();
        }
    }

    @Override
    public void cacheMiss() {
        for (EngineObserver observer : observers) {
            observer.cacheMiss();
        }
    }

    @Override
    public Observation tokenRequest(String system, String grantType, TokenRequestKind kind) {
        Observation[] each = new Observation[observers.length];
        for (int i = 0; i < each.length; i++) {
            each[i] = observers[i].tokenRequest(system, grantType, kind);
        }
        return all(each);
    }

    @Override
    public Observation integrationCall(String system, String method, BiConsumer<String, String> headers) {
        Observation[] each = new Observation[observers.length];
        for (int i = 0; i < each.length; i++) {
            each[i] = observers[i].integrationCall(system, method, headers);
        }
        return all(each);
    }

    @Override
    public void renewedAfterRejection(String system) {
        for (EngineObserver observer : observers) {
            observer.renewedAfterRejection(system);
        }
    }

    private static Observation all(Observation[] each) {
        return new Observation() {
            @Override
            public void succeeded(int status) {
                for (Observation observation : each) {
                    observation.succeeded(status);
                }
            }

            @Override
            public void failed(ErrorCode code) {
                for (Observation observation : each) {
                    observation.failed(code);
                }
            }
        };
    }
}
