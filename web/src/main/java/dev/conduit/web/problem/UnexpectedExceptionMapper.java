package dev.conduit.web.problem;

import dev.conduit.api.ErrorCode;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Anything else is a bug: 500 {@code INTERNAL_ERROR} without internals, and a reference that finds the stack trace in
 * the server log.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        String reference = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected error, reference " + reference, e);
        return ProblemResponses.of(Problem.of(ErrorCode.INTERNAL_ERROR,
                "An unexpected error occurred (reference " + reference + ").")
                .withHint("The server log has the details under this reference."));
    }
}
