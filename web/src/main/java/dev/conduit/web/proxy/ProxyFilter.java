package dev.conduit.web.proxy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.core.administration.Callers;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.integration.IntegrationClient;
import dev.conduit.core.integration.ProxyBody;
import dev.conduit.core.integration.ProxyHeaders;
import dev.conduit.core.integration.ProxyRequest;
import dev.conduit.core.integration.ProxyResponse;
import dev.conduit.core.integration.ProxySettings;
import dev.conduit.web.authorization.AuthorizationLinks;
import dev.conduit.web.problem.ConduitExceptionMapper;
import dev.conduit.web.problem.Problem;
import dev.conduit.web.problem.ProblemResponses;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The pass-through proxy, {@code /api/connected-systems/{name}/proxy/{path...}}: any method, the path below the
 * system's integration base URL, the query and the body go to the resource server with the system's token (the
 * application's for a per-app system, the caller's for a per-user one); the status, the headers and the body come back
 * as they are. Both bodies are streamed, never held whole.
 *
 * <p>A servlet filter rather than a JAX-RS resource: it takes every method (JAX-RS needs one annotation per method),
 * sees the path as the caller encoded it (so that an encoded slash or dot can be refused), and reads and writes the
 * bodies as streams without a message body reader or writer in between. The container has already checked the login
 * (web.xml: conduit-user or conduit-admin under /api/) and the cross-site rule ({@code CrossSiteRequestFilter},
 * mapped before this one). Every other request under {@code /api/connected-systems/} passes on to JAX-RS.
 */
public class ProxyFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ProxyFilter.class.getName());
    private static final String PREFIX = "/api/connected-systems/";
    private static final String PROXY = "/proxy";
    private static final int COPY_BUFFER = 64 * 1024;

    private transient SystemAdministration admin;
    private transient IntegrationClient client;
    private transient AuthorizationLinks links;
    private transient ProxySettings settings;

    /** For the container; it injects the collaborators. */
    public ProxyFilter() {
    }

    public ProxyFilter(SystemAdministration admin, IntegrationClient client, AuthorizationLinks links,
            ProxySettings settings) {
        inject(admin, client, links, settings);
    }

    @Inject
    void inject(SystemAdministration admin, IntegrationClient client, AuthorizationLinks links,
            ProxySettings settings) {
        this.admin = admin;
        this.client = client;
        this.links = links;
        this.settings = settings;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        int nameEnd = uri.startsWith(PREFIX) ? uri.indexOf('/', PREFIX.length()) : -1;
        if (nameEnd < 0 || !uri.startsWith(PROXY, nameEnd)
                || (uri.length() > nameEnd + PROXY.length() && uri.charAt(nameEnd + PROXY.length()) != '/')) {
            chain.doFilter(request, response);
            return;
        }
        String name = decode(uri.substring(PREFIX.length(), nameEnd));
        int pathStart = nameEnd + PROXY.length() + 1;
        String path = pathStart >= uri.length() ? "" : uri.substring(pathStart);
        proxy(name, path, request, response);
    }

    private void proxy(String name, String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Principal user = request.getUserPrincipal();
        boolean perUser = false;
        try {
            ProxyRequest call = new ProxyRequest(request.getMethod(), path, request.getQueryString(),
                    settings.headers().request(Collections.list(request.getHeaderNames()),
                            header -> Collections.list(request.getHeaders(header))),
                    body(request));
            ConnectedSystem system = admin.get(name);
            perUser = admin.isPerUser(system);
            Subject subject = admin.subjectFor(system, user);
            try (ProxyResponse answer = client.forward(system, subject, call)) {
                relay(answer, response);
            }
        } catch (ConduitException e) {
            if (perUser && Callers.mustAuthorize(e)) {
                writeProblem(response, links.required(e, name, user, URI.create(request.getRequestURL().toString())),
                        null);
            } else {
                writeProblem(response, ConduitExceptionMapper.logged(e),
                        e.retryAfter().isPresent() ? ConduitExceptionMapper.retryAfterSeconds(e) : null);
            }
        } catch (RuntimeException e) {
            String reference = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "unexpected error in the proxy, reference " + reference, e);
            writeProblem(response, Problem.of(ErrorCode.INTERNAL_ERROR,
                    "An unexpected error occurred (reference " + reference + ").")
                    .withHint("The server log has the details under this reference."), null);
        }
    }

    /**
     * The caller's body: none when the request declares none (no length and not chunked), else one small enough to
     * keep for a retry, or a stream.
     */
    private ProxyBody body(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        if (length == 0 || (length < 0 && request.getHeader("Transfer-Encoding") == null)) {
            return ProxyBody.NONE;
        }
        try {
            return ProxyBody.read(request.getInputStream(), length, settings.replayMaxBytes());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Status and headers first, then the body as it arrives. */
    private static void relay(ProxyResponse answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.status());
        ProxyHeaders.response(answer.headers(), response::addHeader);
        answer.contentLength().ifPresent(response::setContentLengthLong);
        byte[] buffer = new byte[COPY_BUFFER];
        InputStream in = answer.body();
        OutputStream out = response.getOutputStream();
        // a failure here (the resource server stalls or breaks off, the caller goes away) leaves the answer cut short:
        // the status is sent already, so the exception ends the exchange and the container closes the connection
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
    }

    /** The problem, unless the answer has begun already: then the exchange can only end, cut short. */
    private static void writeProblem(HttpServletResponse response, Problem problem, Long retryAfterSeconds)
            throws IOException {
        if (response.isCommitted()) {
            throw new IOException("the answer was cut short: " + problem.code() + ": " + problem.detail());
        }
        response.reset();
        if (retryAfterSeconds != null) {
            response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        ProblemResponses.write(response, problem);
    }

    /** A percent-encoded path segment as text (a system's name). */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length() && Character.digit(segment.charAt(i + 1), 16) >= 0
                    && Character.digit(segment.charAt(i + 2), 16) >= 0) {
                bytes.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
