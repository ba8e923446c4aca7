package dev.conduit.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.web.TestConduit;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProblemMappingTest {

    private static JsonObject body(Response response) {
        return TestConduit.json((String) response.getEntity());
    }

    @Test
    void toResponseWhenConduitExceptionThenProblemWithCodeHintFieldAndProviderError() {
        ConduitException e = ConduitException.builder(ErrorCode.INVALID_CLIENT, "the provider refused the client")
                .field("clientSecret").oauthError(new OAuthError("invalid_client", "bad secret", "https://idp/err"))
                .build();

        Response response = new ConduitExceptionMapper().toResponse(e);

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        JsonObject problem = body(response);
        assertThat(problem.getString("type")).isEqualTo("urn:conduit:problem:invalid-client");
        assertThat(problem.getString("title")).isEqualTo("Invalid client");
        assertThat(problem.getInt("status")).isEqualTo(502);
        assertThat(problem.getString("detail")).isEqualTo("the provider refused the client");
        assertThat(problem.getString("code")).isEqualTo("INVALID_CLIENT");
        assertThat(problem.getString("hint")).isEqualTo(ErrorCode.INVALID_CLIENT.hint());
        assertThat(problem.getString("field")).isEqualTo("clientSecret");
        assertThat(problem.getString("error")).isEqualTo("invalid_client");
        assertThat(problem.getString("error_description")).isEqualTo("bad secret");
        assertThat(problem.getString("error_uri")).isEqualTo("https://idp/err");
    }

    @Test
    void toResponseWhenAuthorizationRequiredThen403SoNoBasicPrompt() {
        Response response = new ConduitExceptionMapper().toResponse(
                new ConduitException(ErrorCode.AUTHORIZATION_REQUIRED, "the user has not authorized crm yet"));

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getHeaderString("WWW-Authenticate")).isNull();
        assertThat(body(response).getString("code")).isEqualTo("AUTHORIZATION_REQUIRED");
    }

    @Test
    void toResponseWhenProviderAskedToWaitThenRetryAfterHeader() {
        Response response = new ConduitExceptionMapper().toResponse(ConduitException
                .builder(ErrorCode.RATE_LIMITED, "slow down").retryAfter(Duration.ofSeconds(7)).build());

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("7");
    }

    @Test
    void toResponseWhenRoleMissingThen403Forbidden() {
        Response response = new WebApplicationExceptionMapper().toResponse(new ForbiddenException());

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(body(response).getString("code")).isEqualTo("FORBIDDEN");
    }

    @Test
    void toResponseWhenNoSuchPathThen404KeptAsProblem() {
        Response response = new WebApplicationExceptionMapper().toResponse(new NotFoundException());

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(body(response).getString("code")).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void toResponseWhenUnexpectedThen500WithoutInternals() {
        Response response = new UnexpectedExceptionMapper().toResponse(
                new IllegalStateException("jdbc:h2:file:/secret/path password=hunter2"));

        assertThat(response.getStatus()).isEqualTo(500);
        JsonObject problem = body(response);
        assertThat(problem.getString("code")).isEqualTo("INTERNAL_ERROR");
        assertThat(problem.toString()).doesNotContain("hunter2").doesNotContain("IllegalStateException")
                .doesNotContain("jdbc");
    }

    @Test
    void toResponseWhenMalformedJsonReachesAProviderThen400InvalidRequest() {
        Response response = new JsonExceptionMapper().toResponse(
                new jakarta.json.JsonException("Unexpected char 125 at (line no=1, column no=9, offset=8)"));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(body(response).getString("code")).isEqualTo("INVALID_REQUEST");
        assertThat(body(response).getString("field")).isEqualTo("body");
    }
}
