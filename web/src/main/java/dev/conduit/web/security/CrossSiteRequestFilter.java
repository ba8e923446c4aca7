package dev.conduit.web.security;

import dev.conduit.api.ErrorCode;
import dev.conduit.web.authorization.PublicUrl;
import dev.conduit.web.problem.Problem;
import dev.conduit.web.problem.ProblemResponses;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Applies {@link CrossSiteRule} to every request the application serves (the API, the console's sign-in and the
 * callback): a refused request gets {@code 403 CROSS_SITE_REQUEST} and never reaches a resource. Refusals are logged,
 * at most one line a minute.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class CrossSiteRequestFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CrossSiteRequestFilter.class.getName());

    private transient PublicUrl publicUrl;
    private final transient RateLimitedLog refusals;

    public CrossSiteRequestFilter() {
        this(null, new RateLimitedLog(LOG, Duration.ofMinutes(1), Clock.systemUTC()));
    }

    CrossSiteRequestFilter(PublicUrl publicUrl, RateLimitedLog refusals) {
        this.publicUrl = publicUrl;
        this.refusals = refusals;
    }

    @Inject
    void setPublicUrl(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
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
        refusals.warn("Refused a cross-site " + request.getMethod() + " " + request.getRequestURI() + ": "
                + refusal.get());
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
