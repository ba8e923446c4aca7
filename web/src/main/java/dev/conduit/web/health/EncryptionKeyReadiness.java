package dev.conduit.web.health;

import dev.conduit.web.store.KeyCoverage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of this server's encryption keys: DOWN when connected systems in the shared database are encrypted with a
 * key this server lacks, since it would serve those systems as broken while the other servers serve them. Token rows
 * are not checked: one under a retired key is one user's, reads as absent, and must not take the server out of
 * service. The log line names the key ids it lacks (ids only, never a key).
 */
@Readiness
@ApplicationScoped
public class EncryptionKeyReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(EncryptionKeyReadiness.class.getName());

    @Inject
    KeyCoverage coverage;

    /** How long a finding stands: a probe every few seconds does not scan the tables every few seconds. */
    private static final long RECHECK_NANOS = 30_000_000_000L;

    /** What the last check found, so that the same finding is logged once, not at every probe. */
    private volatile Set<String> lastMissing = Set.of();
    private volatile long checkedAtNanos;
    private volatile boolean checked;

    @Override
    public HealthCheckResponse call() {
        try {
            if (!checked || System.nanoTime() - checkedAtNanos > RECHECK_NANOS) {
                check();
            }
            return response(lastMissing);
        } catch (SQLException e) {
            // the database's own readiness says it is down; this check has nothing to add then
            return HealthCheckResponse.named("encryption-keys").up().withData("checked", false).build();
        }
    }

    /** Checks now, logs a new finding, and returns the missing key ids. */
    public Set<String> check() throws SQLException {
        Set<String> missing = coverage.missingKeyIds();
        checkedAtNanos = System.nanoTime();
        checked = true;
        if (!missing.equals(lastMissing)) {
            lastMissing = missing;
            if (!missing.isEmpty()) {
                LOG.severe(() -> "This server lacks the encryption key" + (missing.size() == 1 ? " " : "s ")
                        + missing + " that connected systems in the shared database are encrypted with (configured here: "
                        + coverage.configuredKeyIds() + "): it reports not ready until conduit.encryption.key"
                        + " includes " + (missing.size() == 1 ? "it" : "them") + ". Every server sharing a database"
                        + " needs the same keys.");
            }
        }
        return missing;
    }

    private HealthCheckResponse response(Set<String> missing) {
        return HealthCheckResponse.named("encryption-keys").status(missing.isEmpty())
                .withData("missingKeyIds", String.join(",", missing)).build();
    }
}
