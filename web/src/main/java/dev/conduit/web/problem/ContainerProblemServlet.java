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
        Object uri = request.getAttribute("jakarta.servlet.error.request_uri");
        if (status == 403 && uri instanceof String path && path.startsWith("/console/")) {
            forbiddenPage(response);
            return;
        }
        Problem problem = status == 401
                ? Problem.of(ErrorCode.FORBIDDEN, "This operation needs a Conduit login.")
                        .withStatus(401).withTitle("Login required")
                        .withHint("Send HTTP Basic credentials of a Conduit user (see the README's demo users), "
                                + "or sign in to the console at /console/.")
                : Problem.of(ErrorCode.FORBIDDEN,
                        "Your Conduit login lacks the role this operation needs (conduit-admin for administration).");
        if (status == 401 && failedLogins != null) {
            // the error dispatch still carries the refused request's headers
            failedLogins.refused(request.getHeader("Authorization"), request.getRemoteAddr());
        }
        ProblemResponses.write(response, problem);
    }

    /** A console page the signed-in person may not see: a page that says so, in the console's frame. */
    private static void forbiddenPage(HttpServletResponse response) throws IOException {
        response.setStatus(403);
        response.setContentType("text/html");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>No access - Conduit</title><link rel="stylesheet" href="/console/console.css"></head>
                <body><main class="narrow" id="main"><h1>No access to this page</h1>
                <p class="error-summary" role="alert">This page is for administrators (role conduit-admin).
                Error code: <code>FORBIDDEN</code></p>
                <p><a href="/console/">Go to My connections</a></p></main></body></html>
                """);
    }
}
