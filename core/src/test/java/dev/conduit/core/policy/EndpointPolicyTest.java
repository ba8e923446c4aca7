package dev.conduit.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.Variable;
import dev.conduit.core.testing.HostileTokenServer;
import dev.conduit.core.testing.TestSystems;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** DESIGN.md "Admin-configured URLs". Host names resolve through a fixed table: no test depends on real DNS. */
class EndpointPolicyTest {

    /** A fixed DNS: names map to addresses; anything else does not resolve. */
    private static final HostResolver DNS = host -> {
        Map<String, String> table = Map.of(
                "idp.example.com", "93.184.215.14",
                "internal.example.com", "10.1.2.3",
                "rebind.example.com", "93.184.215.14,192.168.0.10",
                "metadata.google.internal", "169.254.169.254",
                "localhost", "127.0.0.1");
        String addresses = table.get(host);
        if (addresses == null) {
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)}; // a literal: no lookup
            }
            throw new UnknownHostException(host);
        }
        String[] parts = addresses.split(",");
        InetAddress[] result = new InetAddress[parts.length];
        for (int i = 0; i < parts.length; i++) {
            result[i] = InetAddress.getByAddress(host, InetAddress.getByName(parts[i]).getAddress());
        }
        return result;
    };

    private final EndpointPolicy strict = new EndpointPolicy(false, List.of(), DNS);
    private final EndpointPolicy loopback = new EndpointPolicy(true, List.of(), DNS);

    static Stream<Arguments> refusedByStrictPolicy() {
        return Stream.of(
                Arguments.of("http://idp.example.com/token", "https"),
                Arguments.of("http://93.184.215.14/token", "https"),
                Arguments.of("http://127.0.0.1:8080/token", "https"),
                Arguments.of("http://localhost/token", "https"),
                Arguments.of("https://user:pass@idp.example.com/token", "user information"),
                Arguments.of("https://user@idp.example.com/token", "user information"),
                Arguments.of("file:///etc/passwd", "file:"),
                Arguments.of("jar:file:/tmp/x.jar!/token", "jar:"),
                Arguments.of("ftp://idp.example.com/token", "ftp:"),
                Arguments.of("/token", "relative"),
                Arguments.of("https://10.0.0.1/token", "private"),
                Arguments.of("https://172.16.5.4/token", "private"),
                Arguments.of("https://192.168.1.1/token", "private"),
                Arguments.of("https://100.64.0.1/token", "private"),
                Arguments.of("https://169.254.169.254/latest/meta-data", "metadata"),
                Arguments.of("https://169.254.10.10/token", "link-local"),
                Arguments.of("https://[fd00:ec2::254]/token", "metadata"),
                Arguments.of("https://[fc00::1]/token", "private"),
                Arguments.of("https://[fe80::1]/token", "link-local"),
                Arguments.of("https://[::1]/token", "loopback"),
                Arguments.of("https://127.0.0.1/token", "loopback"),
                Arguments.of("https://0.0.0.0/token", "unspecified"),
                Arguments.of("https://[::ffff:10.0.0.1]/token", "private"),
                Arguments.of("https://metadata.google.internal/computeMetadata/v1/", "metadata"),
                Arguments.of("https://internal.example.com/token", "private"),
                Arguments.of("https://rebind.example.com/token", "private"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByStrictPolicy")
    void checkWhenUrlIsNotAllowedThenEndpointNotAllowedNamingTheField(String url, String reason) {
        ConduitException e = refused(strict, url);

        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
        assertThat(e.field()).contains("tokenEndpoint");
        assertThat(e.getMessage()).startsWith("tokenEndpoint: ").contains(reason);
    }

    @Test
    void checkWhenHttpsOnPublicHostThenAccepted() {
        assertThatCode(() -> strict.check("tokenEndpoint", URI.create("https://93.184.215.14/token")))
                .doesNotThrowAnyException();
        assertThatCode(() -> strict.check("tokenEndpoint", URI.create("https://idp.example.com/token")))
                .doesNotThrowAnyException();
    }

    @Test
    void checkWhenLoopbackAllowedThenHttpOnLoopbackAccepted() {
        for (String url : List.of("http://127.0.0.1:8080/token", "http://localhost/token", "http://[::1]/token")) {
            assertThatCode(() -> loopback.check("tokenEndpoint", URI.create(url))).as(url).doesNotThrowAnyException();
        }
    }

    /** allow-loopback-http is about plain http alone: it never lets https reach loopback or a private range. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"https://127.0.0.1/token, loopback", "https://localhost/token, loopback",
            "https://[::1]/token, loopback", "https://10.0.0.1/token, private", "https://internal.example.com/token, private",
            "https://169.254.169.254/latest, metadata"})
    void checkWhenLoopbackHttpAllowedAndHttpsReachesLoopbackOrPrivateThenStillRefused(String url, String reason) {
        ConduitException e = refused(loopback, url);

        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
        assertThat(e.getMessage()).contains(reason);
    }

    @Test
    void checkWhenLoopbackHostAllowListedThenHttpsToItAccepted() {
        EndpointPolicy allowing = new EndpointPolicy(true, List.of("localhost"), DNS);

        assertThatCode(() -> allowing.check("tokenEndpoint", URI.create("https://localhost:8443/token")))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://idp.example.com/token", "http://10.0.0.1/token", "http://unresolvable.example/x"})
    void checkWhenLoopbackAllowedButHostIsNotLoopbackThenHttpStillRefused(String url) {
        assertThat(refused(loopback, url).code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
    }

    @Test
    void checkWhenHostIsAllowListedThenPrivateAddressAccepted() {
        EndpointPolicy allowing = new EndpointPolicy(false, List.of("Internal.Example.com", "10.0.0.1", "[fd00::5]"),
                DNS);

        assertThatCode(() -> allowing.check("tokenEndpoint", URI.create("https://internal.example.com/token")))
                .doesNotThrowAnyException();
        assertThatCode(() -> allowing.check("tokenEndpoint", URI.create("https://10.0.0.1/token")))
                .doesNotThrowAnyException();
        assertThatCode(() -> allowing.check("tokenEndpoint", URI.create("https://[fd00:0:0::5]/token")))
                .doesNotThrowAnyException();
        assertThat(refused(allowing, "https://10.0.0.2/token").code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
        // allow-listing a host does not allow plain http to it
        assertThat(refused(allowing, "http://internal.example.com/token").code())
                .isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
    }

    @Test
    void checkWhenHostDoesNotResolveThenAcceptedSoASaveDoesNotDependOnDns() {
        assertThatCode(() -> strict.check("tokenEndpoint", URI.create("https://down.example.org/token")))
                .doesNotThrowAnyException();
    }

    @Test
    void checkSystemWhenTemplateRendersToPrivateHostThenRefusedNamingTheField() {
        try (HostileTokenServer server = HostileTokenServer.start()) {
            var system = TestSystems.clientCredentials(server)
                    .tokenEndpoint("https://${host}/token")
                    .variable(Variable.plain("host", "10.9.8.7"))
                    .revocationEndpoint(null).integrationBaseUrl(null).build();

            ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                    () -> strict.checkSystem(system));

            assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
            assertThat(e.field()).contains("tokenEndpoint");
        }
    }

    @Test
    void checkSystemWhenEveryUrlOnLoopbackThenAcceptedOnlyWhereLoopbackAllowed() {
        try (HostileTokenServer server = HostileTokenServer.start()) {
            var system = TestSystems.authorizationCode(server).build();

            assertThatCode(() -> loopback.checkSystem(system)).doesNotThrowAnyException();
            ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                    () -> strict.checkSystem(system));
            assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_ALLOWED);
        }
    }

    @Test
    void checkSystemWhenIntegrationBaseUrlIsPrivateThenThatFieldNamed() {
        EndpointPolicy allowingIdp = new EndpointPolicy(false, List.of(), DNS);
        var system = dev.conduit.api.system.ConnectedSystem.builder().name("s").grantType("client_credentials")
                .clientId("c").tokenEndpoint("https://idp.example.com/token")
                .integrationBaseUrl("https://192.168.1.1/api").build();

        ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                () -> allowingIdp.checkSystem(system));

        assertThat(e.field()).contains("integrationBaseUrl");
    }

    private static ConduitException refused(EndpointPolicy policy, String url) {
        return org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                () -> policy.check("tokenEndpoint", url));
    }
}
