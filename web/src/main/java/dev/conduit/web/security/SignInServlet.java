package dev.conduit.web.security;

import dev.conduit.api.ErrorCode;
import dev.conduit.web.audit.FailedLogins;
import dev.conduit.web.json.SharedJson;
import dev.conduit.web.problem.Problem;
import dev.conduit.web.problem.ProblemResponses;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The console's password sign-in against the server's user registry, and sign-out.
 * <ul>
 *   <li>{@code GET /console/login}: which ways of signing in this server offers;</li>
 *   <li>{@code POST /console/login} with {@code {"username", "password"}}: 204 and a new session, or 401
 *       {@code SIGN_IN_FAILED} (the same answer for an unknown user and a wrong password);</li>
 *   <li>{@code POST /console/logout}: ends the session, 204.</li>
 * </ul>
 * Both are state-changing requests under {@link CrossSiteRule} (JSON body, own origin only), so another site can
 * neither sign a browser in to an account of its choosing nor sign it out.
 */
@WebServlet({"/console/login", "/console/logout"})
public class SignInServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 8 * 1024;

    @Inject
    transient RegistryLogin registry;

    @Inject
    transient SignInSettings settings;

    @Inject
    transient FailedLogins failedLogins;

    /** What the sign-in page offers: {@code {"password": true, "oidc": false}}. */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(SharedJson.createObjectBuilder().add("password", settings.passwordSignIn())
                .add("oidc", settings.oidc().isPresent()).build().toString());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getServletPath().endsWith("/logout")) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            response.setHeader("Cache-Control", "no-store");
            response.setStatus(204);
            return;
        }
        if (!settings.passwordSignIn()) {
            problem(response, Problem.of(ErrorCode.SIGN_IN_FAILED,
                    "Password sign-in is turned off on this server.").withStatus(404)
                    .withHint("Sign in through the organisation's identity provider."));
            return;
        }
        UsernamePasswordCredential credential;
        try {
            credential = credential(request.getInputStream());
        } catch (JsonException | IllegalArgumentException | ClassCastException e) {
            problem(response, Problem.of(ErrorCode.INVALID_REQUEST,
                    "Send {\"username\": \"...\", \"password\": \"...\"} as JSON."));
            return;
        }
        Optional<RegistryLogin.Caller> caller = registry.validate(credential.getCaller(),
                credential.getPasswordAsString());
        if (caller.isEmpty()) {
            failedLogins.refusedUser(printable(credential.getCaller()), "form", request.getRemoteAddr());
            problem(response, Problem.of(ErrorCode.SIGN_IN_FAILED, "The user name or the password is wrong."));
            return;
        }
        settings.startSession(request, new SignedInCaller(caller.get().name(), caller.get().groups(), "password"));
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(204);
    }

    private static UsernamePasswordCredential credential(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new IllegalArgumentException("too large");
        }
        try (JsonReader reader = SharedJson.createReader(new InputStreamReader(
                new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            JsonObject json = reader.readObject();
            String user = json.getString("username", "").strip();
            String password = json.getString("password", "");
            if (user.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException("missing");
            }
            return new UsernamePasswordCredential(user, password);
        }
    }

    /** A user name as typed, safe for one log line. */
    private static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) : value;
        return cut.replaceAll("[^\\p{Alnum}@._+-]", "?");
    }

    private static void problem(HttpServletResponse response, Problem problem) throws IOException {
        ProblemResponses.write(response, problem);
    }
}
