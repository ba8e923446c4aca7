package dev.conduit.web.problem;

import dev.conduit.api.ErrorCode;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A body JSON-B cannot bind is the caller's error: 400 {@code INVALID_REQUEST}, no binding internals. */
@Provider
public class JsonbExceptionMapper implements ExceptionMapper<JsonbException> {

    @Override
    public Response toResponse(JsonbException e) {
        return ProblemResponses.of(Problem.of(ErrorCode.INVALID_REQUEST,
                "The request body is not valid JSON for this operation.").withField("body"));
    }
}
