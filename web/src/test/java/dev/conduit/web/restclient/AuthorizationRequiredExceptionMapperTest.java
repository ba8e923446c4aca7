package dev.conduit.web.restclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.web.TestConduit;
import dev.conduit.web.problem.Problem;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthorizationRequiredExceptionMapperTest {

    @Test
    void toResponseWhenTypedClientRefusedThen403ProblemWithLinkAsInvokeAnswers() {
        AuthorizationRequiredException refused = new AuthorizationRequiredException("calendar",
                URI.create("https://idp.example.com/authorize?state=s1"), Instant.parse("2026-03-01T10:10:00Z"));

        Response response = new AuthorizationRequiredExceptionMapper().toResponse(refused);

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        JsonObject problem = TestConduit.json((String) response.getEntity());
        assertThat(problem.getString("code")).isEqualTo("AUTHORIZATION_REQUIRED");
        assertThat(problem.getString("connectedSystem")).isEqualTo("calendar");
        assertThat(problem.getJsonObject("authorizationLink").getString("url"))
                .isEqualTo("https://idp.example.com/authorize?state=s1");
        assertThat(problem.getJsonObject("authorizationLink").getString("expiresAt")).isEqualTo("2026-03-01T10:10:00Z");
    }
}
