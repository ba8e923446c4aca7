package dev.conduit.web.audit;

import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records an audit event for every answered call of a resource method marked {@link Audited}: successes, and refusals
 * too (a bad request, a missing role, an unknown system), since an attempt is worth knowing about. Runs after the
 * answer is made, so a failure to record is logged and never turns a done change into an error.
 */
@Provider
@Audited
@ApplicationScoped
public class AuditFilter implements ContainerResponseFilter {

    private static final Logger LOG = Logger.getLogger(AuditFilter.class.getName());

    @Inject
    AuditRecorder recorder;

    @Inject
    Clock clock;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Method method = resource == null ? null : resource.getResourceMethod();
        Audited audited = method == null ? null : method.getAnnotation(Audited.class);
        if (audited == null) {
            return;
        }
        Principal user = request.getSecurityContext() == null ? null : request.getSecurityContext().getUserPrincipal();
        String system = request.getUriInfo().getPathParameters().getFirst("name");
        AuditEvent event = AuditEvents.of(clock.instant(), user == null ? null : user.getName(), audited.value(), system,
                response.getStatus(), response.getEntity());
        try {
            recorder.record(event);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not record the audit event " + event.action() + " of " + event.actor()
                    + " on " + event.system() + " (" + event.outcome() + ")", e);
        }
    }
}
