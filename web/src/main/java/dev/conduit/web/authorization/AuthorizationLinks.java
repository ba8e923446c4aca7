package dev.conduit.web.authorization;

import dev.conduit.api.ConduitException;
import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.core.administration.Callers;
import dev.conduit.core.lifecycle.AuthorizationService;
import jakarta.json.JsonObject;
import java.net.URI;
import java.security.Principal;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import dev.conduit.web.json.SharedJson;
import dev.conduit.web.problem.Problem;

/**
 * Hands out authorization links: each one is new, bound to the caller and to the redirect URI
 * {@code <public-url>/oauth/callback}, and expires (the grant decides when).
 */
public final class AuthorizationLinks {

    private static final Logger LOG = Logger.getLogger(AuthorizationLinks.class.getName());

    private final AuthorizationService authorizations;
    private final PublicUrl publicUrl;

    public AuthorizationLinks(AuthorizationService authorizations, PublicUrl publicUrl) {
        this.authorizations = Objects.requireNonNull(authorizations, "authorizations");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
    }

    /** A new link of {@code systemName} for the logged-in {@code user}. */
    public AuthorizationRequest create(String systemName, Principal user, URI requestUri) {
        return authorizations.begin(systemName, Callers.user(user), publicUrl.redirectUri(requestUri));
    }

    /** A new link as {@code {url, expiresAt}}. */
    public JsonObject createJson(String systemName, Principal user, URI requestUri) {
        return toJson(create(systemName, user, requestUri));
    }

    /**
     * The {@code AUTHORIZATION_REQUIRED} problem for a per-user call that {@code e} refused, with a new link the caller
     * can follow right away (without one when no link can be made, which the log says).
     */
    public Problem required(ConduitException e, String systemName, Principal user, URI requestUri) {
        Problem problem = Problem.of(e).withField(null);
        try {
            return problem.with("authorizationLink", createJson(systemName, user, requestUri));
        } catch (ConduitException linkFailure) {
            LOG.log(Level.WARNING, "no authorization link for {0}: {1}",
                    new Object[] {systemName, linkFailure.toString()});
            return problem;
        }
    }

    public static JsonObject toJson(AuthorizationRequest request) {
        return SharedJson.createObjectBuilder()
                .add("url", request.url().toString())
                .add("expiresAt", request.pending().expiresAt().toString())
                .build();
    }
}
