package dev.conduit.api.system;

import dev.conduit.api.ConduitException;
import dev.conduit.api.Secret;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named value that {@code ${name}} templates use (e.g. {@code subdomain}, {@code tenant}). A secret variable's value
 * is a {@link Secret}: never exported, never shown.
 *
 * @param name        letters, digits, '_', '-' and '.', starting with a letter
 * @param plainValue  the value of a plain variable, else {@code null}
 * @param secretValue the value of a secret variable, else {@code null} (also {@code null} while not yet supplied)
 * @param secret      whether the value is a secret
 */
public record Variable(String name, String plainValue, Secret secretValue, boolean secret) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    public Variable {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ConduitException.invalidField("variables",
                    "'" + name + "' is not a variable name (a letter, then letters, digits, '_', '-' or '.')");
        }
        if (secret && plainValue != null) {
            throw ConduitException.invalidField("variables." + name, "a secret variable has no plain value");
        }
        if (!secret) {
            Objects.requireNonNull(plainValue, "variables." + name);
            if (secretValue != null) {
                throw ConduitException.invalidField("variables." + name, "a plain variable has no secret value");
            }
        }
    }

    public static Variable plain(String name, String value) {
        return new Variable(name, value, null, false);
    }

    public static Variable secret(String name, Secret value) {
        return new Variable(name, null, value, true);
    }

    /** The value to put on the wire. */
    public String reveal() {
        if (!secret) {
            return plainValue;
        }
        if (secretValue == null) {
            throw ConduitException.invalidField("variables." + name, "the secret value has not been supplied");
        }
        return secretValue.reveal();
    }

    @Override
    public String toString() {
        return name + "=" + (secret ? "******" : plainValue);
    }
}
