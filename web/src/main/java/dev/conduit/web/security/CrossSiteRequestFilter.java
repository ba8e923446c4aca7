package dev.conduit.web.security;

import dev.conduit.api.ErrorCode;
import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditOutcome;
import dev.conduit.core.audit.AuditRecorder;
import dev.conduit.core.audit.RateLimitedRecorder;
import dev.conduit.web.authorization.PublicUrl;
import dev.conduit.web.problem.Problem;
import dev.conduit.web.problem.ProblemResponses;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Applies {@link CrossSiteRule} to every request the application serves (the API, the console's sign-in and the
 * callback): a refused request gets {@code 403 CROSS_SITE_REQUEST} and never reaches a resource. Refusals are recorded
 * in the audit trail ({@code CROSS_SITE_REFUSED}) and the log, rate-limited. Declared in web.xml, where it is mapped
 * to every request ahead of the pass-through proxy.
 */
public class CrossSiteRequestFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CrossSiteRequestFilter.class.getName());

    /** Refusals recorded per minute; the rest are counted into the next record's {@code suppressed}. */
    static final int PER_MINUTE = 20;

    private transient PublicUrl publicUrl;
    private transient Clock clock = Clock.systemUTC();
    private transient RateLimitedRecorder refusals;

    public CrossSiteRequestFilter() {
    }

    CrossSiteRequestFilter(PublicUrl publicUrl, AuditRecorder audit, Clock clock) {
        this.publicUrl = publicUrl;
        this.clock = clock;
        setAudit(audit);
    }

    @Inject
    void setPublicUrl(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** Each refusal goes to the audit trail and the log, at most {@value #PER_MINUTE} a minute. */
    @Inject
    void setAudit(AuditRecorder audit) {
        this.refusals = new RateLimitedRecorder(event -> {
            LOG.warning(() -> "Refused a cross-site " + event.details().get("request") + " from "
                    + event.details().get("from") + ": " + event.details().get("reason")
                    + (event.details().containsKey("suppressed")
                            ? " (" + event.details().get("suppressed") + " more refusals not logged before this)" : ""));
            audit.record(event);
        }, PER_MINUTE, Duration.ofMinutes(1), clock);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean redirectLink = request.getRequestURI().endsWith("/authorization-link")
                && asksForRedirect(request.getQueryString());
        Optional<String> refusal = CrossSiteRule.refusal(request.getMethod(), redirectLink, request::getHeader,
                ownOrigins(request));
        if (refusal.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        if (refusals != null) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("request", request.getMethod() + " " + request.getRequestURI());
            details.put("reason", refusal.get());
            details.put("from", String.valueOf(request.getRemoteAddr()));
            refusals.tryRecord(new AuditEvent(clock.instant(),
                    request.getRemoteUser() == null ? "(not signed in)" : request.getRemoteUser(),
                    AuditAction.CROSS_SITE_REFUSED, null, AuditOutcome.FAILURE, details));
        }
        Problem problem = Problem.of(ErrorCode.CROSS_SITE_REQUEST, "Refused: " + refusal.get() + ".");
        ProblemResponses.write(response, problem);
    }

    /** {@code redirect=true} in the query; read from the query string, so that a form body is never consumed here. */
    static boolean asksForRedirect(String query) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            if (pair.equalsIgnoreCase("redirect=true")) {
                return true;
            }
        }
        return false;
    }

    /** The origin the request was addressed to, and the configured public URL's when it is set. */
    private Set<String> ownOrigins(HttpServletRequest request) {
        Set<String> origins = new LinkedHashSet<>();
        URI requested = URI.create(request.getRequestURL().toString());
        origins.add(CrossSiteRule.normalize(requested.getScheme() + "://" + requested.getRawAuthority()));
        if (publicUrl != null) {
            origins.add(CrossSiteRule.normalize(publicUrl.origin(requested)));
        }
        return origins;
    }
}
