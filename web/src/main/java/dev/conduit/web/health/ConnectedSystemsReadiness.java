package dev.conduit.web.health;

import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.SystemStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the connected systems: DOWN while any is in {@code ERROR}, with each one's reason in the data
 * ({@code <name>: <ERROR_CODE>: <reason>}), so that monitoring shows what an administrator must fix.
 */
@Readiness
@ApplicationScoped
public class ConnectedSystemsReadiness implements HealthCheck {

    private ConnectedSystemRepository systems;

    /** For CDI's client proxy. */
    protected ConnectedSystemsReadiness() {
    }

    @Inject
    public ConnectedSystemsReadiness(ConnectedSystemRepository systems) {
        this.systems = systems;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("connected-systems");
        int total = 0;
        int inError = 0;
        for (ConnectedSystem system : systems.findAll()) {
            total++;
            SystemStatus status = systems.status(system.name());
            if (!status.isOk()) {
                inError++;
                response.withData(system.name(), status.code() + ": " + status.reason());
            }
        }
        return response.withData("systems", total).withData("inError", inError).status(inError == 0).build();
    }
}
