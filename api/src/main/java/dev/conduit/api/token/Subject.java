package dev.conduit.api.token;

import dev.conduit.api.ConduitException;
import java.util.Objects;

/**
 * Whom a token belongs to: the application as a whole (per-app systems) or one user (per-user systems).
 *
 * @param userId the user's id, or {@code null} for the application
 */
public record Subject(String userId) {

    private static final Subject APPLICATION = new Subject(null);

    public Subject {
        if (userId != null && (userId.isBlank() || userId.length() > 255)) {
            throw ConduitException.invalidField("user", "a user id is 1 to 255 characters");
        }
    }

    /** The application itself. */
    public static Subject application() {
        return APPLICATION;
    }

    /** One user, by the id the container authenticated. */
    public static Subject user(String userId) {
        return new Subject(Objects.requireNonNull(userId, "userId"));
    }

    public boolean isApplication() {
        return userId == null;
    }

    public boolean isUser() {
        return userId != null;
    }

    @Override
    public String toString() {
        return isApplication() ? "application" : "user:" + userId;
    }
}
