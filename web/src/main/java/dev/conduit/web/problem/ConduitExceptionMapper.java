package dev.conduit.web.problem;

import dev.conduit.api.ConduitException;
import dev.conduit.core.observe.LogFields;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A {@link ConduitException} leaves as its problem document, with {@code Retry-After} when the provider asked for one. */
@Provider
public class ConduitExceptionMapper implements ExceptionMapper<ConduitException> {

    private static final Logger LOG = Logger.getLogger(ConduitExceptionMapper.class.getName());

    @Override
    public Response toResponse(ConduitException e) {
        Problem problem = logged(e);
        Response response = ProblemResponses.of(problem);
        if (e.retryAfter().isPresent()) {
            return Response.fromResponse(response).header("Retry-After", retryAfterSeconds(e)).build();
        }
        return response;
    }

    /** The problem {@code e} stands for, logged: a warning when it is a server-side failure. */
    public static Problem logged(ConduitException e) {
        Problem problem = Problem.of(e);
        // messages of ConduitException never hold secrets or tokens, so they may be logged
        Level level = problem.status() >= 500 ? Level.WARNING : Level.FINE;
        if (e.systemName().isPresent()) {
            LogFields.log(LOG, level, e.systemName().get(), e.code(), e::toString);
        } else {
            LOG.log(level, "{0}", e.toString());
        }
        return problem;
    }

    /** The {@code Retry-After} seconds the provider asked for; present only when {@code e.retryAfter()} is. */
    public static long retryAfterSeconds(ConduitException e) {
        return Math.max(1, e.retryAfter().orElseThrow().toSeconds());
    }
}
