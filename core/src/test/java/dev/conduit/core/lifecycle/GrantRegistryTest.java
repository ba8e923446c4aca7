package dev.conduit.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.grant.AcquiringGrant;
import dev.conduit.api.grant.Grant;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.grant.ValidatingGrant;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.TokenSet;
import dev.conduit.grant.clientcredentials.ClientCredentialsGrant;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrantRegistryTest {

    /** A second provider of {@code client_credentials}, as a stray jar would bring. */
    public static final class ImpostorGrant implements AcquiringGrant {
        @Override
        public String type() {
            return ClientCredentialsGrant.TYPE;
        }

        @Override
        public TokenScope tokenScope() {
            return TokenScope.PER_APP;
        }

        @Override
        public TokenSet acquire(GrantRequest request) {
            throw new AssertionError("never called");
        }
    }

    /** A grant that names a type but can obtain no token: neither acquiring nor interactive. */
    public static final class RolelessGrant implements Grant {
        @Override
        public String type() {
            return "roleless";
        }

        @Override
        public TokenScope tokenScope() {
            return TokenScope.PER_APP;
        }
    }

    @Test
    void loadWhenProviderCanObtainNoTokenThenErrorNamesItsJarAndTheRoles(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services/" + Grant.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, RolelessGrant.class.getName() + "\n");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> GrantRegistry.load(loader))
                    .isInstanceOfSatisfying(ConduitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.GRANT_REGISTRY_INVALID);
                        assertThat(e.getMessage()).contains(RolelessGrant.class.getName())
                                .contains(AcquiringGrant.class.getName()).contains("fix or remove the jar");
                    });
        }
    }

    /** A grant with a rule of its own: it serves no system with a scope. */
    static final class ScopelessGrant implements AcquiringGrant, ValidatingGrant {
        @Override
        public String type() {
            return "scopeless";
        }

        @Override
        public TokenScope tokenScope() {
            return TokenScope.PER_APP;
        }

        @Override
        public void validate(ConnectedSystem system) {
            if (!system.tokenRequest().scope().isEmpty()) {
                throw ConduitException.invalidField("scope", "this grant requests no scope");
            }
        }

        @Override
        public TokenSet acquire(GrantRequest request) {
            throw new AssertionError("never called");
        }
    }

    @Test
    void validateWhenGrantHasRulesOfItsOwnThenTheyApply() {
        GrantRegistry registry = GrantRegistry.of(new ClientCredentialsGrant(), new ScopelessGrant());
        ConnectedSystem.Builder system = ConnectedSystem.builder().name("orders").tokenEndpoint("https://idp.example.com/token")
                .clientId("conduit").scope("orders.read");

        registry.validate(system.grantType(ClientCredentialsGrant.TYPE).build());
        assertThatThrownBy(() -> registry.validate(system.grantType("scopeless").build()))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("scope");
                });
    }

    @Test
    void loadWhenClientCredentialsJarOnClassPathThenFoundThroughServiceLoader() {
        GrantRegistry registry = GrantRegistry.load(getClass().getClassLoader());

        assertThat(registry.get("client_credentials")).isInstanceOf(ClientCredentialsGrant.class);
        assertThat(registry.interactive("client_credentials")).isEmpty();
    }

    @Test
    void loadWhenTwoProvidersOfOneTypeThenErrorNamesBoth(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services/" + Grant.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, ImpostorGrant.class.getName() + "\n");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> GrantRegistry.load(loader))
                    .isInstanceOfSatisfying(ConduitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.GRANT_REGISTRY_INVALID);
                        assertThat(e.getMessage()).contains("client_credentials")
                                .contains(ClientCredentialsGrant.class.getName())
                                .contains(ImpostorGrant.class.getName()).contains("remove one");
                    });
        }
    }

    @Test
    void loadWhenNoProviderThenErrorNamesTheJarToAdd() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> GrantRegistry.load(empty))
                    .isInstanceOfSatisfying(ConduitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.GRANT_REGISTRY_INVALID);
                        assertThat(e.getMessage()).contains("conduit-grant-client-credentials");
                    });
        }
    }

    @Test
    void loadWhenProviderCannotLoadThenErrorNotSwallowed(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services/" + Grant.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, "com.example.MissingGrant\n");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> GrantRegistry.load(loader))
                    .isInstanceOfSatisfying(ConduitException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.GRANT_REGISTRY_INVALID);
                        assertThat(e.getMessage()).contains("com.example.MissingGrant");
                    });
        }
    }

    @Test
    void getWhenTypeUnknownThenUnknownGrantTypeListsInstalled() {
        GrantRegistry registry = GrantRegistry.of(new ClientCredentialsGrant());

        assertThatThrownBy(() -> registry.get("password"))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_GRANT_TYPE);
                    assertThat(e.field()).contains("grantType");
                    assertThat(e.getMessage()).contains("client_credentials");
                });
    }
}
