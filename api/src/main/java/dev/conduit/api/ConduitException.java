package dev.conduit.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception Conduit raises: an {@link ErrorCode}, a message that never holds a secret or token, and what the
 * server said when it said something.
 */
public class ConduitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;
    private final transient OAuthError oauthError;
    private final String systemName;
    private final Duration retryAfter;

    private ConduitException(Builder b) {
        super(b.message, b.cause);
        this.code = b.code;
        this.field = b.field;
        this.oauthError = b.oauthError;
        this.systemName = b.systemName;
        this.retryAfter = b.retryAfter;
    }

    public ConduitException(ErrorCode code, String message) {
        this(builder(code, message));
    }

    /** An invalid configuration value; the message names the field. */
    public static ConduitException invalidField(String field, String message) {
        return builder(ErrorCode.INVALID_CONFIGURATION, field + ": " + message).field(field).build();
    }

    public static Builder builder(ErrorCode code, String message) {
        return new Builder(code, message);
    }

    public ErrorCode code() {
        return code;
    }

    /** The hint a person can act on. */
    public String hint() {
        return code.hint();
    }

    /** The configuration field at fault, when one is. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The error the authorization server sent, when it sent one. */
    public Optional<OAuthError> oauthError() {
        return Optional.ofNullable(oauthError);
    }

    /** The connected system concerned, when one is; lets callers offer a new authorization link. */
    public Optional<String> systemName() {
        return Optional.ofNullable(systemName);
    }

    /** How long the server asked to wait ({@code Retry-After}), when it asked. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** A copy of this exception that names the connected system. */
    public ConduitException forSystem(String name) {
        if (Objects.equals(name, systemName)) {
            return this;
        }
        return new Builder(code, getMessage()).field(field).oauthError(oauthError).retryAfter(retryAfter)
                .cause(getCause() == null ? this : getCause()).system(name).build();
    }

    @Override
    public String toString() {
        return "ConduitException[" + code + "]: " + getMessage();
    }

    /** Builds a {@link ConduitException}. */
    public static final class Builder {
        private final ErrorCode code;
        private final String message;
        private String field;
        private OAuthError oauthError;
        private String systemName;
        private Duration retryAfter;
        private Throwable cause;

        private Builder(ErrorCode code, String message) {
            this.code = Objects.requireNonNull(code, "code");
            this.message = Objects.requireNonNull(message, "message");
        }

        public Builder field(String field) {
            this.field = field;
            return this;
        }

        public Builder oauthError(OAuthError error) {
            this.oauthError = error;
            return this;
        }

        public Builder system(String name) {
            this.systemName = name;
            return this;
        }

        public Builder retryAfter(Duration wait) {
            this.retryAfter = wait;
            return this;
        }

        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        public ConduitException build() {
            return new ConduitException(this);
        }
    }
}
