package dev.conduit.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * How every request is authenticated. Jakarta Security allows one mechanism per application, so this one serves both
 * kinds of caller:
 * <ul>
 *   <li>machine clients send HTTP Basic on every request (validated against the server's user registry, whose
 *       answer {@link RecentBasicLogins} keeps for a few seconds), and an unauthenticated request to the API or the
 *       callback is challenged with Basic, as before;</li>
 *   <li>people use the console with a session that {@link SignInServlet} (password) or {@link OidcSignInServlet}
 *       (the organisation's identity provider) started; an unauthenticated console page is sent to the sign-in page,
 *       and the console's own API calls (header {@code X-Conduit-Console}) get a 401 without a Basic challenge, so
 *       that the browser never shows its Basic prompt.</li>
 * </ul>
 */
@ApplicationScoped
public class SignInMechanism implements HttpAuthenticationMechanism {

    /** The header the console's scripts send with every API call. */
    public static final String CONSOLE_HEADER = "X-Conduit-Console";
    public static final String REALM = "Conduit";
    static final String SIGN_IN_PAGE = "/console/login.html";

    @Inject
    RegistryLogin registry;

    @Inject
    RecentBasicLogins recentLogins;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            // the error page of a request this mechanism already answered
            return context.doNothing();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            Optional<RegistryLogin.Caller> caller = basic(authorization.substring(6))
                    .flatMap(c -> recentLogins.validate(c.getCaller(), c.getPasswordAsString(), registry::validate));
            if (caller.isPresent()) {
                return context.notifyContainerAboutLogin(caller.get().name(), caller.get().groups());
            }
            return challenge(request, response, context);
        }
        SignedInCaller caller = SignedInCaller.of(request.getSession(false));
        if (caller != null) {
            return context.notifyContainerAboutLogin(caller.name(), caller.groups());
        }
        return context.isProtected() ? challenge(request, response, context) : context.doNothing();
    }

    private AuthenticationStatus challenge(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/console/") && "GET".equals(request.getMethod())) {
            try {
                String back = path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
                response.sendRedirect(request.getContextPath() + SIGN_IN_PAGE + "?next="
                        + URLEncoder.encode(back, StandardCharsets.UTF_8));
                return AuthenticationStatus.SEND_CONTINUE;
            } catch (IOException e) {
                return context.responseUnauthorized();
            }
        }
        if (request.getHeader(CONSOLE_HEADER) == null) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        return context.responseUnauthorized();
    }

    /** The user name and password of a Basic {@code Authorization} header's value, if it is well formed. */
    static Optional<UsernamePasswordCredential> basic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
