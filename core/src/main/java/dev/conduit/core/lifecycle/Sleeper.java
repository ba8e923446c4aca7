package dev.conduit.core.lifecycle;

import java.time.Duration;

/** Waits between token request attempts; tests replace it to run without real delays. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
