package dev.conduit.core.discovery;

import static dev.conduit.core.testing.ScriptedResponse.json;
import static dev.conduit.core.testing.ScriptedResponse.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.policy.HostResolver;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.TestSystems;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetadataDiscoveryTest {

    private HostileTokenServer server;
    private MetadataDiscovery discovery;
    private String issuer;

    @BeforeEach
    void setUp() {
        server = HostileTokenServer.start();
        discovery = new MetadataDiscovery(TestSystems.loopbackPolicy(), HttpSettings.DEFAULT);
        issuer = server.url("/realms/acme");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private String metadata(String declaredIssuer) {
        return """
                {"issuer":"%s","token_endpoint":"%s","authorization_endpoint":"%s",
                 "revocation_endpoint":"%s","introspection_endpoint":"%s",
                 "token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post","private_key_jwt"],
                 "authorization_response_iss_parameter_supported":true,
                 "code_challenge_methods_supported":["plain","S256"]}
                """.formatted(declaredIssuer, issuer + "/token", issuer + "/auth", issuer + "/revoke",
                issuer + "/introspect");
    }

    @Test
    void locationsWhenIssuerHasPathThenRfc8414InsertsWellKnownBeforePath() {
        assertThat(MetadataDiscovery.locations(URI.create("https://idp.example.com/realms/acme")))
                .containsExactly(URI.create("https://idp.example.com/.well-known/oauth-authorization-server/realms/acme"),
                        URI.create("https://idp.example.com/realms/acme/.well-known/openid-configuration"));
    }

    @Test
    void discoverWhenRfc8414DocumentThenEndpointsAndIssFlagFilled() {
        server.path("/.well-known/oauth-authorization-server/realms/acme").enqueue(json(200, metadata(issuer)));

        AuthorizationServerMetadata found = discovery.discover(issuer);
        ConnectedSystem system = found.applyTo(ConnectedSystem.builder().name("acme").grantType("authorization_code")
                .clientId("conduit").revocationEndpoint(server.url("/entered-by-admin"))).build();

        assertThat(system.endpoints().token()).isEqualTo(issuer + "/token");
        assertThat(system.endpoints().authorization()).contains(issuer + "/auth");
        assertThat(system.endpoints().revocation()).contains(server.url("/entered-by-admin"));
        assertThat(system.endpoints().introspection()).contains(issuer + "/introspect");
        assertThat(system.endpoints().issuer()).contains(issuer);
        assertThat(system.endpoints().issuerParameterSupported()).isTrue();
        assertThat(found.tokenEndpointAuthMethods()).contains("private_key_jwt");
        found.check(system);
    }

    @Test
    void discoverWhenOnlyOpenIdConfigurationThenFallsBackToIt() {
        server.path("/realms/acme/.well-known/openid-configuration").enqueue(json(200, metadata(issuer)));

        assertThat(discovery.discover(issuer).tokenEndpoint()).isEqualTo(issuer + "/token");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void discoverWhenADocumentGivesTheTokenEndpointTwiceThenItIsNotUsed() {
        String twice = metadata(issuer).replace("\"token_endpoint\":", "\"token_endpoint\":\"https://elsewhere.example/t\","
                + "\"token_endpoint\":");
        server.path("/.well-known/oauth-authorization-server/realms/acme").enqueue(json(200, twice));
        server.path("/realms/acme/.well-known/openid-configuration").enqueue(json(200, twice));

        assertThatThrownBy(() -> discovery.discover(issuer)).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DISCOVERY_FAILED);
            assertThat(e.getMessage()).contains("a member given twice").doesNotContain("elsewhere");
        });
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void discoverWhenIssuerDiffersByTrailingSlashThenRefused() {
        server.path("/.well-known/oauth-authorization-server/realms/acme").enqueue(json(200, metadata(issuer + "/")));

        assertThatThrownBy(() -> discovery.discover(issuer)).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH);
            assertThat(e.field()).contains("issuer");
        });
    }

    @Test
    void discoverWhenIssuerDiffersByCaseThenRefused() {
        server.path("/.well-known/oauth-authorization-server/realms/acme")
                .enqueue(json(200, metadata(issuer.replace("acme", "ACME"))));

        assertThatThrownBy(() -> discovery.discover(issuer)).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ISSUER_MISMATCH));
    }

    @Test
    void discoverWhenNoDocumentThenDiscoveryFailedListsLocations() {
        server.setDefault(status(404));

        assertThatThrownBy(() -> discovery.discover(issuer)).isInstanceOfSatisfying(ConduitException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DISCOVERY_FAILED);
            assertThat(e.getMessage()).contains("oauth-authorization-server").contains("openid-configuration");
        });
    }

    @Test
    void checkWhenAuthMethodUnsupportedThenFieldNamed() {
        server.path("/.well-known/oauth-authorization-server/realms/acme").enqueue(json(200,
                metadata(issuer).replace("\"client_secret_basic\",", "")));
        AuthorizationServerMetadata found = discovery.discover(issuer);
        ConnectedSystem system = found.applyTo(ConnectedSystem.builder().name("acme").grantType("client_credentials")
                .clientId("conduit").clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)).build();

        assertThatThrownBy(() -> found.check(system)).isInstanceOfSatisfying(ConduitException.class,
                e -> assertThat(e.field()).contains("clientAuthMethod"));
    }

    @Test
    void discoverWhenIssuerOnPrivateAddressThenPolicyRefuses() {
        MetadataDiscovery strict = new MetadataDiscovery(new EndpointPolicy(false, java.util.List.of(), HostResolver.SYSTEM),
                TestSystems.fastSettings());

        assertThatThrownBy(() -> strict.discover("https://10.1.2.3/realms/acme"))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED));
    }
}
