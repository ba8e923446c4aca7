package dev.conduit.web.config;

import dev.conduit.api.ConduitException;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.core.config.ConfiguredSystems;
import dev.conduit.core.provider.TemplateCatalog;
import dev.conduit.core.provider.TemplateProblem;
import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.administration.SystemAdministration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import dev.conduit.web.health.EncryptionKeyReadiness;
import dev.conduit.web.security.SignInSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Builds the engine when the application starts rather than on the first request: the schema is migrated, the
 * encryption key resolved and the grants loaded now, and every connected system declared in configuration is read and
 * checked, so that a broken database, key, grant jar or {@code conduit.systems.*} property stops the deployment with
 * its reason instead of failing a user's call later.
 */
@ApplicationScoped
public class StartupCheck {

    private static final Logger LOG = Logger.getLogger(StartupCheck.class.getName());

    void onStart(@Observes Startup startup, GrantRegistry grants, TokenService tokens, ConduitSettings settings,
            ConfiguredSystems configured, SystemAdministration admin, TemplateCatalog templates,
            EngineProducers.MigratedDatabase database, @Readiness EncryptionKeyReadiness keys,
            SignInSettings signIn) {
        sharedDatabaseWithoutPublicUrl(database.postgresql(), settings.publicUrl()).ifPresent(LOG::warning);
        try {
            keys.check(); // logs the key ids this server lacks, if any, at once rather than at the first probe
        } catch (SQLException e) {
            LOG.warning(() -> "the stored rows' encryption keys could not be checked (SQL state " + e.getSQLState()
                    + "); readiness checks them again");
        }
        // a broken template file must not keep Conduit from starting: it is named here, with the field, and left out
        for (TemplateProblem problem : templates.problems()) {
            LOG.warning(() -> "provider template not loaded: " + problem.source() + ", field " + problem.field()
                    + ": " + problem.message());
        }
        for (ConnectedSystem system : configured.all()) {
            checkDeclared(system, admin);
        }
        Config config = ConfigProvider.getConfig(StartupCheck.class.getClassLoader());
        for (String unsafe : UnsafeSettings.warnings(key -> config.getOptionalValue(key, String.class))) {
            LOG.warning(() -> "Unsafe setting for production: " + unsafe);
        }
        productionWithoutSignIn(config.getOptionalValue("conduit.profile", String.class),
                config.getOptionalValue("conduit.registry.file", String.class).map(Path::of).filter(Files::isRegularFile),
                signIn.oidc().isPresent()).ifPresent(LOG::warning);
        LOG.info(() -> "Conduit ready: grants " + grants.types() + ", systems declared in configuration "
                + configured.names() + ", loopback http endpoints "
                + (settings.allowLoopbackHttp() ? "allowed" : "refused") + ", public URL "
                + settings.publicUrl().orElse("(from each request)") + ", provider templates "
                + templates.all().size() + (templates.problems().isEmpty() ? ""
                        : " (" + templates.problems().size() + " template files not loaded, see the warnings)"));
    }

    /**
     * With PostgreSQL, several servers usually share the work behind one public address; without
     * {@code conduit.public-url} each builds redirect URIs from the requests it receives, so the redirect URI a system
     * shows (and registers at the provider) depends on which server answered.
     */
    static Optional<String> sharedDatabaseWithoutPublicUrl(boolean postgresql, Optional<String> publicUrl) {
        if (!postgresql || publicUrl.isPresent()) {
            return Optional.empty();
        }
        return Optional.of("conduit.public-url is not set, and the database is PostgreSQL, which several servers may"
                + " share: each server then shows redirect URIs (<url>/oauth/callback) made from its own address, and"
                + " providers accept only the one registered. Set conduit.public-url (CONDUIT_PUBLIC_URL) on every"
                + " server to the one public URL people and providers use, e.g. https://conduit.example.com.");
    }

    /**
     * The production profile has no logins of its own: without the organisation's registry file and without sign-in
     * through its OpenID provider, nobody can sign in, which is worth one line at start-up rather than a puzzle at
     * the first 401.
     */
    static Optional<String> productionWithoutSignIn(Optional<String> profile, Optional<Path> registryFile,
            boolean oidcSignIn) {
        if (!profile.map(p -> p.strip().equals("production")).orElse(false) || registryFile.isPresent()
                || oidcSignIn) {
            return Optional.empty();
        }
        return Optional.of("The production profile is on, but there is no user registry file (conduit.registry.file,"
                + " CONDUIT_REGISTRY_FILE) and no sign-in through an OpenID provider (conduit.signin.oidc.issuer):"
                + " every login is refused. Supply the organisation's registry (an ldapRegistry, or a basicRegistry"
                + " with encoded passwords, with the groups conduit-admins, conduit-users, conduit-operators).");
    }

    /** The checks a save through the API would make: installed grant, the grant's own rules, the endpoint policy. */
    private static void checkDeclared(ConnectedSystem system, SystemAdministration admin) {
        try {
            admin.validate(system);
        } catch (ConduitException e) {
            String property = e.field().map(f -> ConfiguredSystems.property(system.name(), f))
                    .orElse(ConfiguredSystems.prefix(system.name()) + "*");
            throw ConduitException.builder(e.code(), "connected system '" + system.name()
                    + "' declared in configuration is invalid: " + e.getMessage() + " (property " + property + ")")
                    .field(property).system(system.name()).build();
        }
    }
}
