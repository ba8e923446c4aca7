package dev.conduit.api.system;

import dev.conduit.api.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * Who Conduit is at the token endpoint and how it proves it.
 *
 * @param id             the client identifier
 * @param secret         the client secret ({@code client_secret_basic}, {@code client_secret_post})
 * @param method         how the client authenticates (RFC 6749 section 2.3.1, RFC 7523 section 2.2)
 * @param assertionKey   the PKCS#8 PEM private key (RSA or EC P-256) that signs {@code private_key_jwt} assertions
 * @param assertionKeyId the {@code kid} put in client assertion headers, so the provider finds the public key
 */
public record ClientAuthentication(String id, Optional<Secret> secret, ClientAuthMethod method,
        Optional<Secret> assertionKey, Optional<String> assertionKeyId) {

    public ClientAuthentication {
        secret = Objects.requireNonNullElse(secret, Optional.empty());
        assertionKey = Objects.requireNonNullElse(assertionKey, Optional.empty());
        assertionKeyId = Objects.requireNonNullElse(assertionKeyId, Optional.empty());
    }

    /** Names the method and client, never a secret or key (a record's own toString would print their masks only). */
    @Override
    public String toString() {
        return "ClientAuthentication[" + id + ", " + method.wireName() + ", secret="
                + (secret.isPresent() ? "******" : "none") + ", assertionKey="
                + (assertionKey.isPresent() ? "******" : "none") + "]";
    }
}
