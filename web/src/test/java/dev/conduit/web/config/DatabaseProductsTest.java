package dev.conduit.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A server runs on the database it is configured with, or does not start and says why. */
class DatabaseProductsTest {

    @Test
    void requireConfiguredWhenPostgresqlIsConfiguredButTheDataSourceIsH2ThenInvalidConfigurationWithTheFix() {
        assertThatThrownBy(() -> DatabaseProducts.requireConfigured("postgresql", "H2"))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains("conduit.database");
                    assertThat(e.getMessage()).contains("'postgresql'", "H2 database", "--clean");
                });
    }

    @Test
    void requireConfiguredWhenH2IsConfiguredButTheDataSourceIsPostgresqlThenInvalidConfiguration() {
        assertThatThrownBy(() -> DatabaseProducts.requireConfigured("h2", "PostgreSQL"))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    }

    @Test
    void requireConfiguredWhenTheValueIsNeitherH2NorPostgresqlThenInvalidConfiguration() {
        assertThatThrownBy(() -> DatabaseProducts.requireConfigured("mysql", "H2"))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.getMessage()).contains("must be h2 or postgresql"));
    }

    @Test
    void requireConfiguredWhenTheyMatchThenNothing() {
        assertThatCode(() -> DatabaseProducts.requireConfigured("postgresql", "PostgreSQL")).doesNotThrowAnyException();
        assertThatCode(() -> DatabaseProducts.requireConfigured(" H2 ", "H2")).doesNotThrowAnyException();
    }

    @Test
    void sharedDatabaseWithoutPublicUrlWhenPostgresqlAndNoPublicUrlThenAWarningThatSaysWhatToSet() {
        assertThat(StartupCheck.sharedDatabaseWithoutPublicUrl(true, Optional.empty()))
                .hasValueSatisfying(warning -> assertThat(warning).contains("conduit.public-url", "CONDUIT_PUBLIC_URL"));
        assertThat(StartupCheck.sharedDatabaseWithoutPublicUrl(true, Optional.of("https://conduit.example.com")))
                .isEmpty();
        assertThat(StartupCheck.sharedDatabaseWithoutPublicUrl(false, Optional.empty())).isEmpty();
    }

    @Test
    void productionWithoutSignInWhenProductionProfileAndNeitherRegistryNorOidcThenAWarningThatSaysWhatToSupply() {
        assertThat(StartupCheck.productionWithoutSignIn(Optional.of("production"), Optional.empty(), false))
                .hasValueSatisfying(warning -> assertThat(warning).contains("conduit.registry.file")
                        .contains("conduit.signin.oidc.issuer"));
        assertThat(StartupCheck.productionWithoutSignIn(Optional.of("production"),
                Optional.of(Path.of("/etc/conduit/registry.xml")), false)).isEmpty();
        assertThat(StartupCheck.productionWithoutSignIn(Optional.of("production"), Optional.empty(), true)).isEmpty();
        assertThat(StartupCheck.productionWithoutSignIn(Optional.of("demo"), Optional.empty(), false)).isEmpty();
    }
}
