package dev.conduit.web.json;

import dev.conduit.web.problem.ProblemResponses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses a request whose declared {@code Content-Length} is over the limit before any of it is read (413); bodies
 * without a length are counted while they are read ({@link RequestBodies}).
 */
@Provider
@PreMatching
@ApplicationScoped
public class RequestSizeFilter implements ContainerRequestFilter {

    @Inject
    RequestBodies bodies;

    public RequestSizeFilter() {
    }

    RequestSizeFilter(RequestBodies bodies) {
        this.bodies = bodies;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        long declared = request.getLength();
        if (bodies != null && declared > bodies.maxBytes()) {
            request.abortWith(ProblemResponses.of(bodies.tooLarge().problem()));
        }
    }
}
