package dev.conduit.web.restclient;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.token.Subject;
import dev.conduit.core.administration.Callers;
import dev.conduit.core.administration.SystemAdministration;
import dev.conduit.core.lifecycle.AccessToken;
import dev.conduit.core.policy.Egress;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.web.authorization.AuthorizationLinks;
import java.net.URI;
import java.security.Principal;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The tokens typed Rest Clients send: the application's for a per-app system, the calling user's for a per-user one.
 * A user who must authorize gets {@link AuthorizationRequiredException} with a new link of their own.
 */
public final class RestClientTokens {

    /** Who is calling: the logged-in user (or none), and the URI of the request being served, for the redirect URI. */
    public record Caller(Principal user, URI requestUri) {
    }

    /**
     * The token put on one request, remembered so that a rejection renews exactly it.
     *
     * @param system           the connected system
     * @param subject          whose token it is
     * @param token            the token sent
     * @param rejectedStatuses the system's "token rejected" statuses (default 401, 403, 404)
     */
    public record TokenUse(String system, Subject subject, AccessToken token, Set<Integer> rejectedStatuses) {

        @Override
        public String toString() {
            return "TokenUse[" + system + ", " + subject + "]";
        }
    }

    private final SystemAdministration admin;
    private final TokenService tokens;
    private final AuthorizationLinks links;
    private final Supplier<Caller> caller;
    private final EndpointPolicy policy;

    /** @param policy checks where each token goes, with the target's host resolved right before the request */
    public RestClientTokens(SystemAdministration admin, TokenService tokens, AuthorizationLinks links,
            Supplier<Caller> caller, EndpointPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.links = Objects.requireNonNull(links, "links");
        this.caller = Objects.requireNonNull(caller, "caller");
    }

    /**
     * The token to send to {@code systemName}'s resource server now.
     *
     * @throws AuthorizationRequiredException the calling user must authorize the per-user system first
     * @param target the URL the request with the token goes to
     * @throws ConduitException               {@code ENDPOINT_NOT_ALLOWED} when {@code target} is not under the
     *                                        system's integration base URL, {@code UNKNOWN_SYSTEM}, {@code FORBIDDEN} (a per-user system called with
     *                                        no logged-in user), {@code SYSTEM_DISABLED}, or the token endpoint's failure
     */
    public TokenUse use(String systemName, URI target) {
        ConnectedSystem system = admin.get(systemName);
        // before any token is obtained: a token goes only under the system's integration base URL, to an allowed address
        policy.checkTokenDestination(system, target);
        boolean perUser = admin.isPerUser(system);
        Caller current = perUser ? caller.get() : null;
        Subject subject = perUser ? userOf(current, systemName) : Subject.application();
        try {
            return new TokenUse(systemName, subject, tokens.accessToken(system, subject),
                    system.lifecycle().tokenRejectedStatuses());
        } catch (ConduitException e) {
            if (perUser && Callers.mustAuthorize(e)) {
                AuthorizationRequest link = links.create(systemName, current.user(), current.requestUri());
                throw new AuthorizationRequiredException(systemName, link.url(), link.pending().expiresAt());
            }
            throw e;
        }
    }

    /** Where the connections of requests that carry these tokens go: only to addresses the policy checked then. */
    public Egress egress() {
        return policy.egress();
    }

    /**
     * After the resource server rejected {@code rejected}: renews it if it is still the current token and older than the
     * renewal window, so that the next {@link #use} fetches a new one (or, when another call renewed it meanwhile,
     * returns that one). False when the rejection stands: retrying would send the same token again.
     */
    public boolean rejected(TokenUse rejected) {
        return tokens.invalidate(rejected.system(), rejected.subject(), rejected.token());
    }

    private static Subject userOf(Caller caller, String systemName) {
        if (caller == null || caller.user() == null || caller.user().getName() == null) {
            throw ConduitException.builder(ErrorCode.FORBIDDEN, "connected system '" + systemName
                    + "' holds a token per user, and this call is made outside a logged-in user's request")
                    .system(systemName).build();
        }
        return Callers.user(caller.user());
    }
}
