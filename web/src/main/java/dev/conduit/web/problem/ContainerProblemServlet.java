package dev.conduit.web.problem;

import dev.conduit.api.ErrorCode;
import dev.conduit.web.audit.FailedLogins;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The error page for the container's own 401 (no or wrong login) and 403 (role missing) answers, so that they too
 * leave as problem documents. The container keeps its {@code WWW-Authenticate} challenge.
 */
@WebServlet("/problem/*")
public class ContainerProblemServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient FailedLogins failedLogins;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute("jakarta.servlet.error.status_code");
        int status = code instanceof Integer i ? i : "/unauthenticated".equals(request.getPathInfo()) ? 401 : 403;
        Problem problem = status == 401
                ? Problem.of(ErrorCode.FORBIDDEN, "This operation needs a Conduit login.")
                        .withStatus(401).withTitle("Login required")
                        .withHint("Send HTTP Basic credentials of a Conduit user (see the README's demo users).")
                : Problem.of(ErrorCode.FORBIDDEN,
                        "Your Conduit login lacks the role this operation needs (conduit-admin for administration).");
        if (status == 401 && failedLogins != null) {
            // the error dispatch still carries the refused request's headers
            failedLogins.refused(request.getHeader("Authorization"), request.getRemoteAddr());
        }
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(problem.toJson().toString());
    }
}
