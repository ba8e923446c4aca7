package dev.conduit.web.problem;

import dev.conduit.api.ErrorCode;
import jakarta.json.JsonException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Malformed JSON anywhere a provider parses it is the caller's error: 400 {@code INVALID_REQUEST}, no parser internals. */
@Provider
public class JsonExceptionMapper implements ExceptionMapper<JsonException> {

    @Override
    public Response toResponse(JsonException e) {
        return ProblemResponses.of(Problem.of(ErrorCode.INVALID_REQUEST, "The request body is not valid JSON.")
                .withField("body"));
    }
}
