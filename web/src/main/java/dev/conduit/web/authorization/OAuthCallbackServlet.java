package dev.conduit.web.authorization;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.core.administration.Callers;
import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditOutcome;
import dev.conduit.core.audit.AuditRecorder;
import dev.conduit.core.lifecycle.AuthorizationService;
import dev.conduit.core.lifecycle.AuthorizationStatus;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The redirect URI ({@code /oauth/callback}): completes the pending authorization of the logged-in user and shows the
 * outcome. The page is never cached and sends no referrer, since its URL held the authorization code.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 section 4.1.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4">RFC 9700 section 4.2.4 (referrer leakage)</a>
 */
@WebServlet(PublicUrl.CALLBACK_PATH)
public class OAuthCallbackServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(OAuthCallbackServlet.class.getName());

    @Inject
    transient AuthorizationService authorizations;

    @Inject
    transient PublicUrl publicUrl;

    @Inject
    transient AuditRecorder audit;

    @Inject
    transient Clock clock;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String origin = publicUrl.origin(URI.create(request.getRequestURL().toString()));
        CallbackPage page;
        int status;
        try {
            Map<String, String> parameters = singleValued(request.getParameterMap());
            AuthorizationStatus completed =
                    authorizations.complete(Callers.user(request.getUserPrincipal()), parameters);
            page = CallbackPage.completed(completed, origin);
            status = HttpServletResponse.SC_OK;
            record(request, new AuditEvent(clock.instant(), userName(request), AuditAction.AUTHORIZE,
                    completed.systemName(), AuditOutcome.SUCCESS, Map.of("scope", completed.scope().toString())));
        } catch (ConduitException e) {
            // the message never holds the code or a token; the query string (which holds the code) is not logged
            LOG.log(Level.INFO, "authorization callback refused: {0}", e.toString());
            page = CallbackPage.failed(e, origin);
            status = e.code().httpStatus();
            record(request, new AuditEvent(clock.instant(), userName(request), AuditAction.AUTHORIZE,
                    e.systemName().orElse(null), AuditOutcome.FAILURE, Map.of("code", e.code().name())));
        } catch (RuntimeException e) {
            String reference = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "authorization callback failed, reference " + reference, e);
            page = CallbackPage.unexpected(reference, origin);
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        response.setStatus(status);
        response.setContentType("text/html");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", page.contentSecurityPolicy());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.getWriter().write(page.html());
    }

    /** Records the outcome; a failure to record is logged, never shown to the user instead of the outcome. */
    private void record(HttpServletRequest request, AuditEvent event) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not record the audit event " + event.action() + " of " + event.actor(), e);
        }
    }

    private static String userName(HttpServletRequest request) {
        return request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName();
    }

    /**
     * The callback's parameters, each once: RFC 6749 section 3.1 forbids repeating one, and a repeated {@code state} or
     * {@code code} could smuggle a second value past the checks.
     */
    static Map<String, String> singleValued(Map<String, String[]> parameters) {
        Map<String, String> single = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : parameters.entrySet()) {
            if (e.getValue().length != 1) {
                String name = OAuthError.strip(e.getKey());
                throw ConduitException.builder(ErrorCode.INVALID_CALLBACK,
                        name + ": the callback repeats this parameter").field(name).build();
            }
            single.put(e.getKey(), e.getValue()[0]);
        }
        return single;
    }
}
