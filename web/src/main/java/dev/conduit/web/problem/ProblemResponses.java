package dev.conduit.web.problem;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

/** Turns a {@link Problem} into the HTTP response. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    /** The problem as {@code application/problem+json}, never cached. */
    public static Response of(Problem problem) {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        // serialised here, so no provider has to know the problem+json media type
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .cacheControl(noStore)
                .entity(problem.toJson().toString())
                .build();
    }
}
