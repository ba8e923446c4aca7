package dev.conduit.web.problem;

import dev.conduit.api.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The JAX-RS runtime's own refusals (no such path, method not allowed, role missing, unsupported media type) keep
 * their status and leave as problem documents.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Problem problem = problemFor(status);
        Response response = ProblemResponses.of(problem);
        if (status == 405 && e.getResponse().getHeaderString("Allow") != null) {
            return Response.fromResponse(response).header("Allow", e.getResponse().getHeaderString("Allow")).build();
        }
        return response;
    }

    static Problem problemFor(int status) {
        return switch (status) {
            case 401 -> Problem.of(ErrorCode.FORBIDDEN, "Log in to Conduit to use this operation.")
                        .withStatus(401).withTitle("Login required");
            case 403 -> Problem.of(ErrorCode.FORBIDDEN,
                    "Your Conduit login lacks the role this operation needs (conduit-admin for administration).");
            case 404 -> Problem.of(ErrorCode.INVALID_REQUEST, "There is no such resource.").withStatus(404)
                    .withHint("Check the URL; the API is described at /openapi/ui.");
            case 405 -> Problem.of(ErrorCode.INVALID_REQUEST, "This resource does not support the HTTP method used.")
                    .withStatus(405).withHint("Use a method listed in the Allow header; see /openapi/ui.");
            case 406 -> Problem.of(ErrorCode.INVALID_REQUEST, "The API answers with application/json only.")
                    .withStatus(406).withHint("Accept application/json.");
            case 415 -> Problem.of(ErrorCode.INVALID_REQUEST, "The request body must be application/json.")
                    .withStatus(415).withField("body").withHint("Send the body with Content-Type: application/json.");
            default -> status >= 500
                    ? Problem.of(ErrorCode.INTERNAL_ERROR, "The server could not handle the request.").withStatus(status)
                    : Problem.of(ErrorCode.INVALID_REQUEST, "The request was refused (HTTP " + status + ").")
                            .withStatus(status);
        };
    }
}
