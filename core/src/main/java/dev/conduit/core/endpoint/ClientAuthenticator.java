package dev.conduit.core.endpoint;

import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ClientAuthentication;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Authenticates the client on one request to the provider (token, revocation or introspection endpoint): one strategy
 * per {@link ClientAuthMethod}, chosen once per client by {@link #of}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1">RFC 6749 section 2.3.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-2.2">RFC 7523 section 2.2</a>
 */
sealed interface ClientAuthenticator {

    /**
     * Adds the client's credentials to a request about to be sent, as a header or as members of its form body.
     *
     * @param tokenEndpoint the token endpoint URL, rendered, which a signed assertion names as its audience, also when
     *                      the request goes elsewhere: servers such as Keycloak compare it exactly
     */
    void apply(HttpRequest.Builder request, Map<String, String> body, Supplier<URI> tokenEndpoint);

    /** The client this authenticates. */
    ClientAuthentication client();

    /** Whether this authenticator was made for exactly this client (id, method, secret, key). */
    default boolean serves(ClientAuthentication other) {
        return client().equals(other);
    }

    /** The strategy of the client's method; a private_key_jwt key is read once, at its first request. */
    static ClientAuthenticator of(ClientAuthentication client, Clock clock) {
        if (client.method() == ClientAuthMethod.PRIVATE_KEY_JWT) {
            return new PrivateKeyJwt(client, clock);
        }
        if (client.secret().isEmpty()) {
            return new PublicClient(client);
        }
        return client.method() == ClientAuthMethod.CLIENT_SECRET_BASIC ? new SecretBasic(client) : new SecretPost(client);
    }

    /** {@code Basic base64(formEncode(id) ":" formEncode(secret))}, RFC 6749 section 2.3.1. */
    static String basic(String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code client_secret_basic}: the id and secret in the {@code Authorization} header, never in the body. */
    record SecretBasic(ClientAuthentication client) implements ClientAuthenticator {
        @Override
        public void apply(HttpRequest.Builder request, Map<String, String> body, Supplier<URI> tokenEndpoint) {
            body.remove("client_id");
            body.remove("client_secret");
            request.setHeader("Authorization", basic(client.id(), client.secret().map(Secret::reveal).orElseThrow()));
        }
    }

    /** {@code client_secret_post}: the id and secret as members of the form body. */
    record SecretPost(ClientAuthentication client) implements ClientAuthenticator {
        @Override
        public void apply(HttpRequest.Builder request, Map<String, String> body, Supplier<URI> tokenEndpoint) {
            body.put("client_id", client.id());
            body.put("client_secret", client.secret().map(Secret::reveal).orElseThrow());
        }
    }

    /** A client without a secret (a public client): only its {@code client_id}, in the body. */
    record PublicClient(ClientAuthentication client) implements ClientAuthenticator {
        @Override
        public void apply(HttpRequest.Builder request, Map<String, String> body, Supplier<URI> tokenEndpoint) {
            body.put("client_id", client.id());
        }
    }

    /**
     * {@code private_key_jwt}: a fresh assertion per request, signed with the key read at the first request and kept
     * from then on. Read at the first request, not when made, so that a key that cannot sign fails the token request
     * (and counts as its failure) as any other fault of the configuration does.
     */
    final class PrivateKeyJwt implements ClientAuthenticator {
        private final ClientAuthentication client;
        private final Clock clock;
        private volatile ClientAssertion.Signer signer;

        PrivateKeyJwt(ClientAuthentication client, Clock clock) {
            this.client = client;
            this.clock = clock;
        }

        @Override
        public ClientAuthentication client() {
            return client;
        }

        @Override
        public void apply(HttpRequest.Builder request, Map<String, String> body, Supplier<URI> tokenEndpoint) {
            body.put("client_id", client.id());
            body.put("client_assertion_type", ClientAssertion.TYPE);
            body.put("client_assertion", signer().sign(client.id(), tokenEndpoint.get().toString(),
                    client.assertionKeyId().orElse(null), clock));
        }

        /** The key, read once; two first requests at the same moment may both read it, which is harmless. */
        ClientAssertion.Signer signer() {
            ClientAssertion.Signer read = signer;
            if (read == null) {
                read = ClientAssertion.signer(client.assertionKey().orElseThrow());
                signer = read;
            }
            return read;
        }

        /** Names the client, never the key. */
        @Override
        public String toString() {
            return "PrivateKeyJwt[" + client.id() + "]";
        }
    }
}
