package dev.conduit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.Secret;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.TestSystems;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One strategy per client authentication method, chosen once per client; a private_key_jwt key read once. */
class ClientAuthenticatorTest {

    private final HostileTokenServer server = HostileTokenServer.start();
    private final HttpTokenEndpointFactory factory = TestSystems.endpoints(Clock.systemUTC());

    @AfterEach
    void stop() {
        server.close();
    }

    private static Secret pem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return Secret.of("-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }

    @Test
    void ofWhenEachMethodThenItsOwnStrategy() {
        ConnectedSystem.Builder system = TestSystems.clientCredentials(server);

        assertThat(ClientAuthenticator.of(system.build().client(), Clock.systemUTC()))
                .isInstanceOf(ClientAuthenticator.SecretBasic.class);
        assertThat(ClientAuthenticator.of(system.clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST).build()
                .client(), Clock.systemUTC())).isInstanceOf(ClientAuthenticator.SecretPost.class);
        assertThat(ClientAuthenticator.of(system.clientSecret(null).build().client(), Clock.systemUTC()))
                .isInstanceOf(ClientAuthenticator.PublicClient.class);
    }

    @Test
    void forSystemWhenSameClientAgainThenKeyReadOnceAndReused() throws Exception {
        ConnectedSystem system = TestSystems.clientCredentials(server).clientSecret(null)
                .clientAuthMethod(ClientAuthMethod.PRIVATE_KEY_JWT).clientAssertionKey(pem()).build();

        ClientAuthenticator first = factory.forSystem(system).authenticator();
        ClientAssertion.Signer signer = ((ClientAuthenticator.PrivateKeyJwt) first).signer();
        ClientAuthenticator second = factory.forSystem(system).authenticator();

        assertThat(second).isSameAs(first);
        assertThat(((ClientAuthenticator.PrivateKeyJwt) second).signer()).isSameAs(signer);
    }

    @Test
    void forSystemWhenKeyEditedThenNewAuthenticatorWithTheNewKey() throws Exception {
        ConnectedSystem.Builder builder = TestSystems.clientCredentials(server).clientSecret(null)
                .clientAuthMethod(ClientAuthMethod.PRIVATE_KEY_JWT).clientAssertionKey(pem());
        ClientAuthenticator before = factory.forSystem(builder.build()).authenticator();

        ClientAuthenticator after = factory.forSystem(builder.clientAssertionKey(pem()).build()).authenticator();

        assertThat(after).isNotSameAs(before);
        assertThat(after.serves(before.client())).isFalse();
    }
}
