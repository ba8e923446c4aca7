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

    /** Writes the problem straight to a servlet response, for answers given outside JAX-RS (filters, servlets). */
    public static void write(jakarta.servlet.http.HttpServletResponse response, Problem problem)
            throws java.io.IOException {
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding(java.nio.charset.StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(problem.toJson().toString());
    }
}
