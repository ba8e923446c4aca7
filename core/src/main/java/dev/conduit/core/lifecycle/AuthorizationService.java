package dev.conduit.core.lifecycle;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.grant.InteractiveGrant;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.PendingAuthorizationStore;
import dev.conduit.api.grant.RevokingGrant;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.system.Scope;
import dev.conduit.api.system.SystemStatus;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenKey;
import dev.conduit.api.token.TokenSet;
import dev.conduit.api.token.TokenStore;
import dev.conduit.core.endpoint.GrantedTokens;
import dev.conduit.core.endpoint.TokenEndpointFactory;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets a user authorize a per-user connected system once: hands out the authorization link, completes its callback
 * (state known, unexpired, the same user, used once; all before any token request), reports where the user stands,
 * and disconnects.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1">RFC 6749 section 4.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.7">RFC 9700 section 4.7 (CSRF)</a>
 */
public final class AuthorizationService {

    private static final Logger LOG = Logger.getLogger(AuthorizationService.class.getName());

    private final ConnectedSystemRepository systems;
    private final TokenStore tokens;
    private final PendingAuthorizationStore pending;
    private final GrantRegistry grants;
    private final TokenEndpointFactory endpoints;
    private final TokenService tokenService;
    private final Clock clock;

    public AuthorizationService(ConnectedSystemRepository systems, TokenStore tokens, PendingAuthorizationStore pending,
            GrantRegistry grants, TokenEndpointFactory endpoints, TokenService tokenService, Clock clock) {
        this.systems = Objects.requireNonNull(systems, "systems");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.tokenService = Objects.requireNonNull(tokenService, "tokenService");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A new authorization link of {@code systemName} for {@code user}, remembered until its callback or its expiry.
     *
     * @throws ConduitException {@code UNKNOWN_SYSTEM}; {@code WRONG_SUBJECT} for a per-app system or the application
     */
    public AuthorizationRequest begin(String systemName, Subject user, String redirectUri) {
        ConnectedSystem system = system(systemName);
        InteractiveGrant grant = interactiveGrant(system);
        requireUser(system, user);
        grants.validate(system);
        AuthorizationRequest request = grant.begin(system, user, redirectUri, clock);
        pending.save(request.pending());
        return request;
    }

    /**
     * Completes the callback {@code user}'s browser brought back, and stores the tokens obtained. Refuses, before any
     * token request: no state ({@code STATE_MISSING}), one never issued or forgotten ({@code STATE_UNKNOWN}), one
     * expired ({@code STATE_EXPIRED}), another user's ({@code STATE_USER_MISMATCH}; that state stays usable by its
     * owner), one already used ({@code STATE_REPLAYED}); then whatever the grant refuses in the callback.
     */
    public AuthorizationStatus complete(Subject user, Map<String, String> callbackParameters) {
        Objects.requireNonNull(callbackParameters, "callbackParameters");
        String state = callbackParameters.get("state");
        if (state == null || state.isEmpty()) {
            throw ConduitException.builder(ErrorCode.STATE_MISSING, "state: the callback carries no state")
                    .field("state").build();
        }
        PendingAuthorization authorization = pending.find(state).orElseThrow(() -> ConduitException
                .builder(ErrorCode.STATE_UNKNOWN, "state: no authorization request with this state is pending")
                .field("state").build());
        String systemName = authorization.systemName();
        if (authorization.isExpiredAt(clock.instant())) {
            throw ConduitException.builder(ErrorCode.STATE_EXPIRED,
                    "state: the authorization link expired at " + authorization.expiresAt())
                    .field("state").system(systemName).build();
        }
        // checked before the state is burnt: a stranger presenting it must not spoil its owner's authorization
        if (user == null || !authorization.user().equals(user)) {
            throw ConduitException.builder(ErrorCode.STATE_USER_MISMATCH,
                    "state: the authorization link was issued to another user").field("state").system(systemName)
                    .build();
        }
        if (!pending.markUsed(state)) {
            throw ConduitException.builder(ErrorCode.STATE_REPLAYED,
                    "state: this authorization link was already used").field("state").system(systemName).build();
        }
        ConnectedSystem system = system(systemName);
        InteractiveGrant grant = interactiveGrant(system);
        TokenSet issued;
        try {
            // the scope was asked in the authorization request, not in the code exchange: an answer without scope
            // granted that one
            issued = GrantedTokens.issued(grant.complete(callbackParameters, authorization, request(system, user)),
                    system.tokenRequest().includeScope() ? system.tokenRequest().scope() : Scope.EMPTY);
        } catch (ConduitException e) {
            throw e.forSystem(systemName);
        }
        tokenService.accept(system, user, issued);
        return AuthorizationStatus.authorized(systemName, issued.scope(), issued.expiresAt());
    }

    /**
     * Where {@code user} stands with {@code systemName}: {@code ERROR} when the system is, else {@code AUTHORIZED} when a
     * token is stored that can still serve (a refresh token, or an unexpired access token), else
     * {@code AUTHORIZATION_REQUIRED}.
     */
    public AuthorizationStatus status(String systemName, Subject user) {
        ConnectedSystem system = system(systemName);
        interactiveGrant(system);
        requireUser(system, user);
        SystemStatus systemStatus = systems.status(systemName);
        if (!systemStatus.isOk()) {
            return AuthorizationStatus.error(systemName, systemStatus.code(), systemStatus.reason());
        }
        Optional<TokenSet> stored = tokens.load(new TokenKey(systemName, user));
        if (stored.isPresent() && canServe(stored.get())) {
            return AuthorizationStatus.authorized(systemName, stored.get().scope(), stored.get().expiresAt());
        }
        return AuthorizationStatus.authorizationRequired(systemName);
    }

    /**
     * Ends {@code user}'s authorization on every server: revokes at the provider when the system has a revocation
     * endpoint (RFC 7009), then deletes the local tokens whatever the provider answered. A refresh of the user's token
     * running meanwhile, on any server, finishes first, and what it stored is what is revoked.
     */
    public void disconnect(String systemName, Subject user) {
        ConnectedSystem system = system(systemName);
        InteractiveGrant grant = interactiveGrant(system);
        requireUser(system, user);
        tokenService.disconnect(systemName, user, stored -> {
            if (system.endpoints().revocation().isPresent() && grant instanceof RevokingGrant revoking) {
                revoking.revoke(request(system, user), stored);
            }
        });
    }

    private boolean canServe(TokenSet stored) {
        return stored.refreshToken() != null || !stored.isExpiredAt(clock.instant());
    }

    private GrantRequest request(ConnectedSystem system, Subject user) {
        return new GrantRequest(system, user, endpoints.forSystem(system), clock);
    }

    private ConnectedSystem system(String systemName) {
        if (systemName == null) {
            throw ConduitException.builder(ErrorCode.UNKNOWN_SYSTEM, "system: a connected system name is required")
                    .field("system").build();
        }
        return systems.get(systemName);
    }

    /** The system's grant, when users authorize it; a per-app system has no authorization link. */
    private InteractiveGrant interactiveGrant(ConnectedSystem system) {
        return grants.interactive(system.grantType())
                .filter(grant -> grant.tokenScope() == TokenScope.PER_USER)
                .orElseThrow(() -> ConduitException.builder(ErrorCode.WRONG_SUBJECT, "system: " + system.name()
                        + " uses the " + system.grantType() + " grant, whose token belongs to the application;"
                        + " there is nothing for a user to authorize").system(system.name()).build());
    }

    private static void requireUser(ConnectedSystem system, Subject user) {
        if (user == null || !user.isUser()) {
            throw ConduitException.builder(ErrorCode.WRONG_SUBJECT, "user: " + system.name()
                    + " serves tokens per user; the application has no authorization of its own")
                    .field("user").system(system.name()).build();
        }
    }
}
