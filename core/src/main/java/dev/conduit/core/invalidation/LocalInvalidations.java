package dev.conduit.core.invalidation;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers invalidations to this JVM's listeners, on the publishing thread. A node-spanning implementation extends
 * the delivery to other nodes and calls {@link #deliver} for what they send.
 */
public class LocalInvalidations implements Invalidations {

    private static final Logger LOG = Logger.getLogger(LocalInvalidations.class.getName());

    private final List<InvalidationListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publish(Invalidation invalidation) {
        deliver(invalidation);
    }

    @Override
    public void subscribe(InvalidationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Tells every listener of this JVM, in the order they subscribed; one listener's failure does not keep the others
     * from hearing it.
     */
    protected final void deliver(Invalidation invalidation) {
        Objects.requireNonNull(invalidation, "invalidation");
        for (InvalidationListener listener : listeners) {
            try {
                listener.forget(invalidation);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a listener failed to forget " + invalidation, e);
            }
        }
    }
}
