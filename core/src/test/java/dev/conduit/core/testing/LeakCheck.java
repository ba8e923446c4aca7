package dev.conduit.core.testing;

import dev.conduit.api.Secret;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects every text a test produced (exception messages and their causes, {@code toString()}s, log lines) and
 * asserts that no secret or token value appears in any of them.
 *
 * <pre>{@code
 * LeakCheck leaks = new LeakCheck().secret("s3cr3t", "tok-123");
 * try (var logs = leaks.recordLogs()) {
 *     leaks.expectThrows(() -> endpoint.requestToken(params));
 * }
 * leaks.assertNoLeak();
 * }</pre>
 */
public final class LeakCheck {

    private final Set<String> secrets = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<String> texts = Collections.synchronizedList(new ArrayList<>());

    /** Values that must never appear. */
    public LeakCheck secret(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                secrets.add(value);
            }
        }
        return this;
    }

    public LeakCheck secret(Secret... values) {
        for (Secret value : values) {
            if (value != null) {
                secrets.add(value.reveal());
            }
        }
        return this;
    }

    /** Records an object's {@code toString()}; a throwable with every message, cause and suppressed exception. */
    public <T> T collect(T value) {
        if (value instanceof Throwable t) {
            collectThrowable(t, Collections.newSetFromMap(new IdentityHashMap<>()));
        } else {
            texts.add(String.valueOf(value));
        }
        return value;
    }

    /** Runs {@code action}, which must throw; records and returns what it threw. */
    public RuntimeException expectThrows(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            collect(e);
            return e;
        }
        throw new AssertionError("expected an exception, none was thrown");
    }

    /** Runs {@code action}; records what it returned, or what it threw (and rethrows it). */
    public <T> T capture(Supplier<T> action) {
        try {
            return collect(action.get());
        } catch (RuntimeException e) {
            collect(e);
            throw e;
        }
    }

    /**
     * Records log lines (java.util.logging, System.Logger's default back end) until closed: every level of Conduit's
     * own loggers ({@code dev.conduit}), and what other loggers emit at their configured levels. The JDK HTTP client's
     * FINE request trace is not switched on: it prints request URLs, so a secret placed in a query parameter shows
     * there, as it does in any server's access log; that is why secrets belong in headers or the body.
     */
    public AutoCloseable recordLogs() {
        Logger root = Logger.getLogger("");
        Logger conduit = Logger.getLogger("dev.conduit");
        Level previous = conduit.getLevel();
        SimpleFormatter formatter = new SimpleFormatter();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                texts.add(formatter.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        conduit.setLevel(Level.ALL);
        return () -> {
            root.removeHandler(handler);
            conduit.setLevel(previous);
        };
    }

    /** How many texts were recorded: lets a test prove it looked at something. */
    public int collectedCount() {
        return texts.size();
    }

    public List<String> collected() {
        synchronized (texts) {
            return List.copyOf(texts);
        }
    }

    /** Fails when a secret value appears in any recorded text; the failure shows the text, masked. */
    public void assertNoLeak() {
        if (secrets.isEmpty()) {
            throw new AssertionError("LeakCheck has no secret values to look for");
        }
        List<String> all = collected();
        Set<String> values;
        synchronized (secrets) {
            values = Set.copyOf(secrets);
        }
        for (String text : all) {
            for (String secret : values) {
                if (text.contains(secret)) {
                    throw new AssertionError("a secret value (" + secret.length() + " characters) appears in: "
                            + text.replace(secret, "<LEAKED>"));
                }
            }
        }
    }

    private void collectThrowable(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        texts.add(String.valueOf(t.getMessage()));
        texts.add(t.toString());
        if (t instanceof dev.conduit.api.ConduitException ce) {
            ce.oauthError().ifPresent(error -> texts.add(error.toString() + " " + error.errorUri()));
        }
        collectThrowable(t.getCause(), seen);
        for (Throwable suppressed : t.getSuppressed()) {
            collectThrowable(suppressed, seen);
        }
    }
}
