package dev.conduit.web.config;

import dev.conduit.core.lifecycle.GrantRegistry;
import dev.conduit.core.lifecycle.TokenService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import java.util.logging.Logger;

/**
 * Builds the engine when the application starts rather than on the first request: the schema is migrated, the
 * encryption key resolved and the grants loaded now, so that a broken database, key or grant jar stops the deployment
 * with its reason instead of failing a user's call later.
 */
@ApplicationScoped
public class StartupCheck {

    private static final Logger LOG = Logger.getLogger(StartupCheck.class.getName());

    void onStart(@Observes Startup startup, GrantRegistry grants, TokenService tokens, ConduitSettings settings) {
        LOG.info(() -> "Conduit ready: grants " + grants.types() + ", loopback http endpoints "
                + (settings.allowLoopbackHttp() ? "allowed" : "refused") + ", public URL "
                + settings.publicUrl().orElse("(from each request)"));
    }
}
