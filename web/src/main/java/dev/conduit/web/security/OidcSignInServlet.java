package dev.conduit.web.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.conduit.web.authorization.PublicUrl;
import dev.conduit.web.json.SharedJson;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Signs people in to the console through the organisation's OpenID Connect provider (authorization code flow with
 * PKCE S256, {@code state} and {@code nonce}): {@code GET /console/oidc/start} sends the browser to the provider, and
 * the provider sends it back to {@code GET /console/oidc/callback}, which checks the state, exchanges the code, checks
 * the ID token (signature from the provider's JWKS, issuer, audience, expiry, nonce) and starts the session. The
 * groups claim decides the roles: the admin group gives {@code conduit-admin}, the user group {@code conduit-user},
 * neither refuses the sign-in.
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth">OpenID Connect Core 1.0 section 3.1</a>
 */
@WebServlet({"/console/oidc/start", "/console/oidc/callback"})
public class OidcSignInServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(OidcSignInServlet.class.getName());
    static final String CALLBACK_PATH = "/console/oidc/callback";
    /**
     * The groups server.xml binds the roles to, as access ids in the registry's realm ({@code basicRegistry
     * realm="Conduit"}): Liberty matches role bindings by access id.
     */
    static final String ADMIN_GROUP = "group:" + SignInMechanism.REALM + "/conduit-admins";
    static final String USER_GROUP = "group:" + SignInMechanism.REALM + "/conduit-users";
    private static final String PENDING = "dev.conduit.oidcPending";
    private static final Duration PENDING_TTL = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    transient SignInSettings settings;

    @Inject
    transient PublicUrl publicUrl;

    private final transient HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final transient Map<String, Provider> providers = new java.util.concurrent.ConcurrentHashMap<>();

    /** What the provider's discovery document says, read once. */
    private record Provider(String issuer, String clientId, String authorizationEndpoint, String tokenEndpoint,
            DefaultJWTProcessor<SecurityContext> idTokens) {
    }

    /** The sign-in under way in this browser. */
    private record Pending(String state, String nonce, String verifier, String next, Instant expiresAt)
            implements Serializable {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        OidcSettings oidc = settings.oidc().orElse(null);
        if (oidc == null) {
            page(response, 404, "Sign-in through an identity provider is not configured",
                    "Set conduit.signin.oidc.issuer, client-id and client-secret (see the README), or sign in with "
                            + "a password.");
            return;
        }
        try {
            if (request.getServletPath().endsWith("/start")) {
                start(request, response, oidc);
            } else {
                callback(request, response, oidc);
            }
        } catch (SignInRefused e) {
            page(response, e.status, "Sign-in not completed", e.getMessage());
        } catch (IOException | RuntimeException e) {
            String reference = Long.toHexString(RANDOM.nextLong());
            LOG.log(Level.WARNING, "OpenID Connect sign-in failed (reference " + reference + ")", e);
            page(response, 502, "Sign-in not completed", "The identity provider could not be reached or answered "
                    + "unexpectedly (reference " + reference + "). Try again; the server log has the details.");
        }
    }

    private void start(HttpServletRequest request, HttpServletResponse response, OidcSettings oidc)
            throws IOException {
        Provider p = provider(oidc);
        Pending pending = new Pending(random(), random(), random() + random(), safeNext(request.getParameter("next")),
                Instant.now().plus(PENDING_TTL));
        request.getSession(true).setAttribute(PENDING, pending);
        String url = p.authorizationEndpoint() + (p.authorizationEndpoint().contains("?") ? "&" : "?")
                + form(Map.of("response_type", "code", "client_id", oidc.clientId(),
                        "redirect_uri", redirectUri(request), "scope", oidc.scope(), "state", pending.state(),
                        "nonce", pending.nonce(), "code_challenge", challenge(pending.verifier()),
                        "code_challenge_method", "S256"));
        response.sendRedirect(url);
    }

    private void callback(HttpServletRequest request, HttpServletResponse response, OidcSettings oidc)
            throws IOException {
        HttpSession session = request.getSession(false);
        Pending pending = session == null ? null
                : session.getAttribute(PENDING) instanceof Pending p ? p : null;
        if (pending == null || pending.expiresAt().isBefore(Instant.now())) {
            throw new SignInRefused(400, "This sign-in was not started here or took too long: start again.");
        }
        session.removeAttribute(PENDING);
        if (!MessageDigest.isEqual(pending.state().getBytes(StandardCharsets.UTF_8),
                String.valueOf(request.getParameter("state")).getBytes(StandardCharsets.UTF_8))) {
            throw new SignInRefused(400, "The provider's answer does not belong to this sign-in: start again.");
        }
        String iss = request.getParameter("iss");
        if (iss != null && !iss.equals(oidc.issuer())) {
            throw new SignInRefused(400, "The answer comes from another issuer than " + oidc.issuer() + ".");
        }
        if (request.getParameter("error") != null) {
            throw new SignInRefused(401, "The identity provider refused the sign-in: " + request.getParameter("error")
                    + ". Try again, or ask an administrator.");
        }
        String code = request.getParameter("code");
        if (code == null || code.isBlank()) {
            throw new SignInRefused(400, "The provider's answer carries no code: start again.");
        }
        JWTClaimsSet claims = idToken(provider(oidc), oidc, exchange(provider(oidc), oidc, code,
                redirectUri(request), pending.verifier()), pending.nonce());
        String name = stringClaim(claims, oidc.nameClaim());
        Set<String> groups = groups(claims, oidc);
        if (name == null || name.isBlank()) {
            throw new SignInRefused(403, "The ID token has no '" + oidc.nameClaim() + "' claim to name you by.");
        }
        if (groups.isEmpty()) {
            throw new SignInRefused(403, "Your account at the identity provider is in neither '" + oidc.adminGroup()
                    + "' nor '" + oidc.userGroup() + "'. Ask an administrator to add you to one of them.");
        }
        settings.startSession(request, new SignedInCaller(name, groups, "oidc"));
        response.sendRedirect(request.getContextPath() + pending.next());
    }

    private String exchange(Provider p, OidcSettings oidc, String code, String redirectUri, String verifier)
            throws IOException {
        String credentials = URLEncoder.encode(oidc.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(oidc.clientSecret().reveal(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(p.tokenEndpoint()))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                        "code", code, "redirect_uri", redirectUri, "code_verifier", verifier))))
                .build();
        HttpResponse<String> answer = send(request);
        JsonObject json = parse(answer.body());
        if (answer.statusCode() != 200 || json == null || !json.containsKey("id_token")) {
            String error = json == null ? "HTTP " + answer.statusCode() : json.getString("error", "no id_token");
            throw new SignInRefused(502, "The identity provider did not complete the sign-in (" + error
                    + "). Check conduit.signin.oidc.client-id and client-secret.");
        }
        return json.getString("id_token");
    }

    private static JWTClaimsSet idToken(Provider p, OidcSettings oidc, String idToken, String nonce) {
        try {
            JWTClaimsSet claims = p.idTokens().process(idToken, null);
            if (!nonce.equals(claims.getStringClaim("nonce"))) {
                throw new SignInRefused(400, "The ID token was not issued for this sign-in (nonce): start again.");
            }
            return claims;
        } catch (java.text.ParseException | com.nimbusds.jose.proc.BadJOSEException
                | com.nimbusds.jose.JOSEException e) {
            LOG.warning("An ID token from " + oidc.issuer() + " was refused: " + e.getMessage());
            throw new SignInRefused(401, "The identity provider's ID token did not pass the checks (" + e.getMessage()
                    + ").");
        }
    }

    private static Set<String> groups(JWTClaimsSet claims, OidcSettings oidc) {
        Object value = claims.getClaim(oidc.groupsClaim());
        List<?> listed = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
        Set<String> names = listed.stream().map(String::valueOf)
                .map(g -> g.startsWith("/") ? g.substring(1) : g).collect(Collectors.toSet());
        Set<String> groups = new LinkedHashSet<>();
        if (names.contains(oidc.adminGroup())) {
            groups.add(ADMIN_GROUP);
        }
        if (names.contains(oidc.userGroup())) {
            groups.add(USER_GROUP);
        }
        return groups;
    }

    private Provider provider(OidcSettings oidc) throws IOException {
        Provider known = providers.get(oidc.issuer());
        if (known != null && known.clientId().equals(oidc.clientId())) {
            return known;
        }
        String issuer = oidc.issuer().endsWith("/") ? oidc.issuer().substring(0, oidc.issuer().length() - 1)
                : oidc.issuer();
        HttpResponse<String> answer = send(HttpRequest.newBuilder(
                URI.create(issuer + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(15))
                .header("Accept", "application/json").GET().build());
        JsonObject metadata = parse(answer.body());
        if (answer.statusCode() != 200 || metadata == null) {
            throw new SignInRefused(502, "The identity provider's discovery document could not be read (HTTP "
                    + answer.statusCode() + "): check conduit.signin.oidc.issuer.");
        }
        if (!oidc.issuer().equals(metadata.getString("issuer", null))) {
            throw new SignInRefused(502, "The discovery document names another issuer than "
                    + "conduit.signin.oidc.issuer: set it exactly to " + metadata.getString("issuer", "?") + ".");
        }
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(metadata.getString("jwks_uri")).toURL())
                .build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(oidc.clientId(),
                new JWTClaimsSet.Builder().issuer(oidc.issuer()).build(), Set.of("sub", "exp", "iat", "nonce")));
        Provider p = new Provider(oidc.issuer(), oidc.clientId(), metadata.getString("authorization_endpoint"),
                metadata.getString("token_endpoint"), processor);
        providers.put(oidc.issuer(), p);
        return p;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String redirectUri(HttpServletRequest request) {
        return publicUrl.base(URI.create(request.getRequestURL().toString())) + CALLBACK_PATH;
    }

    /** Only a console page of this server: never another host, so the sign-in cannot be used to send people away. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/console/") || next.contains("//") || next.contains("\\")) {
            return "/console/";
        }
        return next;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    private static JsonObject parse(String body) {
        try (JsonReader reader = SharedJson.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static void page(HttpServletResponse response, int status, String title, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'self'");
        response.getWriter().write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + esc(title) + " - Conduit</title><link rel=\"stylesheet\" href=\"/console/console.css\"></head>"
                + "<body><main class=\"narrow\"><h1>" + esc(title) + "</h1><p role=\"alert\">" + esc(text)
                + "</p><p><a href=\"/console/login.html\">Back to sign-in</a></p></main></body></html>\n");
    }

    private static String esc(String value) {
        return StringEscapeUtils.escapeHtml4(value);
    }

    /** A sign-in refused for a reason the person can read. */
    private static final class SignInRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        SignInRefused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
