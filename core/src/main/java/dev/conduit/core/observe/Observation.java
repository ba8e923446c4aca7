package dev.conduit.core.observe;

import dev.conduit.api.ErrorCode;

/** One outbound request being observed: exactly one of its methods is called, once, when the request ends. */
public interface Observation {

    /** Ignores the outcome. */
    Observation NONE = new Observation() {
        @Override
        public void succeeded(int status) {
        }

        @Override
        public void failed(ErrorCode code) {
        }
    };

    /** The server answered with HTTP {@code status} and Conduit accepted the answer. */
    void succeeded(int status);

    /** The request failed with {@code code}: no answer, or an answer Conduit refused. */
    void failed(ErrorCode code);
}
