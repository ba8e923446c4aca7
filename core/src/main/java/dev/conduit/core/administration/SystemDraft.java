package dev.conduit.core.administration;

import dev.conduit.api.system.ConnectedSystem;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A connected system as an administrator sent it, before Conduit completes it: reading a request never calls the
 * network, so discovering the endpoints from the issuer happens in {@link SystemAdministration#complete}.
 *
 * @param builder               the system as sent
 * @param discoverFrom          the issuer whose metadata fills what the system leaves out, when discovery is asked
 * @param clientAuthMethodGiven whether the request chose the client authentication method (else discovery chooses)
 * @param hasAssertionKey       whether the system has a private_key_jwt signing key (sent or kept from the stored one)
 * @param keptSecrets           the write-only fields taken from the stored system because the request left them out
 *                              ({@code clientSecret}, {@code clientAssertionKey}, {@code variables.<name>}): an edit
 *                              that moves where they go must send them again
 */
public record SystemDraft(ConnectedSystem.Builder builder, Optional<String> discoverFrom, boolean clientAuthMethodGiven,
        boolean hasAssertionKey, Set<String> keptSecrets) {

    public SystemDraft {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(discoverFrom, "discoverFrom");
        keptSecrets = Set.copyOf(keptSecrets);
    }

    /** A draft that asks for no discovery. */
    public static SystemDraft of(ConnectedSystem.Builder builder, Set<String> keptSecrets) {
        return new SystemDraft(builder, Optional.empty(), true, false, keptSecrets);
    }
}
