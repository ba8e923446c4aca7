package dev.conduit.api.system;

import dev.conduit.api.ConduitException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An OAuth scope: space-delimited, case-sensitive scope tokens, kept in the order given and without duplicates.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.3">RFC 6749 section 3.3</a>
 */
public record Scope(List<String> tokens) {

    public static final Scope EMPTY = new Scope(List.of());

    public Scope {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String token : tokens) {
            if (!isScopeToken(token)) {
                throw ConduitException.invalidField("scope",
                        "'" + printable(token) + "' is not a scope token (printable ASCII without space, '\"' or '\\')");
            }
            unique.add(token);
        }
        tokens = List.copyOf(unique);
    }

    /** Parses a space-delimited scope; {@code null} or blank is the empty scope. */
    public static Scope parse(String value) {
        if (value == null || value.isBlank()) {
            return EMPTY;
        }
        List<String> tokens = new ArrayList<>();
        for (String token : value.split(" ")) {
            if (!token.isEmpty()) {
                tokens.add(token);
            }
        }
        return new Scope(tokens);
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** The scope tokens as a set (order kept). */
    public Set<String> asSet() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(tokens));
    }

    /** True when every token of {@code other} is in this scope. */
    public boolean containsAll(Scope other) {
        return tokens.containsAll(other.tokens);
    }

    /** The wire form: tokens joined by single spaces. */
    @Override
    public String toString() {
        return String.join(" ", tokens);
    }

    // scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    private static boolean isScopeToken(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        return s == null ? "null" : s.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
