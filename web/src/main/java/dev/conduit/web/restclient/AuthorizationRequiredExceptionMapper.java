package dev.conduit.web.restclient;

import dev.conduit.web.json.SharedJson;
import dev.conduit.web.problem.Problem;
import dev.conduit.web.problem.ProblemResponses;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A typed Rest Client's {@link AuthorizationRequiredException} that a resource lets through leaves as the same problem
 * the invoke operation answers: {@code AUTHORIZATION_REQUIRED} with {@code authorizationLink: {url, expiresAt}}.
 */
@Provider
public class AuthorizationRequiredExceptionMapper implements ExceptionMapper<AuthorizationRequiredException> {

    @Override
    public Response toResponse(AuthorizationRequiredException e) {
        Problem problem = Problem.of(e).withStatus(403)
                .with("connectedSystem", SharedJson.createValue(e.connectedSystem()))
                .with("authorizationLink", SharedJson.createObjectBuilder()
                        .add("url", e.authorizationUrl().toString())
                        .add("expiresAt", e.expiresAt().toString()).build());
        return ProblemResponses.of(problem);
    }
}
