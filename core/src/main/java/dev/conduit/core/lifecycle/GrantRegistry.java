package dev.conduit.core.lifecycle;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.grant.AcquiringGrant;
import dev.conduit.api.grant.Grant;
import dev.conduit.api.grant.InteractiveGrant;
import dev.conduit.api.grant.ValidatingGrant;
import dev.conduit.api.system.ConnectedSystem;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The installed grants, by type, found through {@link ServiceLoader}. Fails loudly: a provider that cannot load, or
 * two providers of one type, stops start-up with a message naming the jars.
 */
public final class GrantRegistry {

    private final Map<String, Grant> byType;

    private GrantRegistry(Map<String, Grant> byType) {
        this.byType = Collections.unmodifiableMap(byType);
    }

    /** The grants visible to {@code loader}. */
    public static GrantRegistry load(ClassLoader loader) {
        Map<String, Grant> grants = new TreeMap<>();
        ServiceLoader<Grant> services = ServiceLoader.load(Grant.class, loader);
        try {
            for (Grant grant : services) {
                register(grants, grant);
            }
        } catch (ServiceConfigurationError e) {
            throw ConduitException.builder(ErrorCode.GRANT_REGISTRY_INVALID,
                    "a grant provider listed in META-INF/services/" + Grant.class.getName()
                            + " could not be loaded: " + e.getMessage()
                            + "; fix or remove the jar that lists it").cause(e).build();
        }
        if (grants.isEmpty()) {
            throw new ConduitException(ErrorCode.GRANT_REGISTRY_INVALID,
                    "no grant is installed: add conduit-grant-client-credentials or another jar with a "
                            + "META-INF/services/" + Grant.class.getName() + " entry");
        }
        return new GrantRegistry(grants);
    }

    /** A registry of exactly these grants (tests, embedding). */
    public static GrantRegistry of(Grant... grants) {
        Map<String, Grant> map = new TreeMap<>();
        for (Grant grant : grants) {
            register(map, grant);
        }
        return new GrantRegistry(map);
    }

    private static void register(Map<String, Grant> grants, Grant grant) {
        if (!(grant instanceof AcquiringGrant) && !(grant instanceof InteractiveGrant)) {
            throw new ConduitException(ErrorCode.GRANT_REGISTRY_INVALID, "grant provider " + describe(grant)
                    + " can obtain no token: it must implement " + AcquiringGrant.class.getName() + " or "
                    + InteractiveGrant.class.getName() + "; fix or remove the jar");
        }
        Grant previous = grants.putIfAbsent(grant.type(), grant);
        if (previous != null) {
            throw new ConduitException(ErrorCode.GRANT_REGISTRY_INVALID,
                    "two providers for grant type '" + grant.type() + "': " + describe(previous) + " and "
                            + describe(grant) + "; remove one of the jars");
        }
    }

    private static String describe(Grant grant) {
        var source = grant.getClass().getProtectionDomain().getCodeSource();
        return grant.getClass().getName() + (source == null ? "" : " (" + source.getLocation() + ")");
    }

    /** The grant for a type, or {@code UNKNOWN_GRANT_TYPE} naming the types installed. */
    public Grant get(String type) {
        Grant grant = byType.get(type);
        if (grant == null) {
            throw ConduitException.builder(ErrorCode.UNKNOWN_GRANT_TYPE,
                    "grantType: '" + type + "' is not installed; installed: " + String.join(", ", byType.keySet()))
                    .field("grantType").build();
        }
        return grant;
    }

    /** Validates {@code system} with its grant, when the grant has rules of its own; {@code UNKNOWN_GRANT_TYPE}. */
    public void validate(ConnectedSystem system) {
        if (get(system.grantType()) instanceof ValidatingGrant grant) {
            grant.validate(system);
        }
    }

    /** The interactive grant for a type, if it is one. */
    public Optional<InteractiveGrant> interactive(String type) {
        return get(type) instanceof InteractiveGrant g ? Optional.of(g) : Optional.empty();
    }

    public Collection<String> types() {
        return byType.keySet();
    }
}
