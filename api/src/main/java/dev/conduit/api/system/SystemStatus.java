package dev.conduit.api.system;

import dev.conduit.api.ErrorCode;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether a connected system works, and if not, why and what to do.
 *
 * @param state  {@code OK} or {@code ERROR}
 * @param code   why it is in {@code ERROR}, else {@code null}
 * @param reason the disabled reason shown to people, else {@code null}
 * @param since  when it entered this state
 */
public record SystemStatus(State state, ErrorCode code, String reason, Instant since) {

    /** A system's health. */
    public enum State {
        OK,
        ERROR
    }

    public SystemStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        if (state == State.ERROR) {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public static SystemStatus ok(Instant since) {
        return new SystemStatus(State.OK, null, null, since);
    }

    public static SystemStatus error(ErrorCode code, String reason, Instant since) {
        return new SystemStatus(State.ERROR, code, reason, since);
    }

    public boolean isOk() {
        return state == State.OK;
    }

    /** What a person should do, when something is wrong. */
    public String hint() {
        return code == null ? null : code.hint();
    }
}
