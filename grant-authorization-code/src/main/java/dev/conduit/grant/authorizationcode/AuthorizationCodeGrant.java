package dev.conduit.grant.authorizationcode;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.grant.AuthorizationRequest;
import dev.conduit.api.grant.CodeVerifier;
import dev.conduit.api.grant.GrantRequest;
import dev.conduit.api.grant.InteractiveGrant;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.grant.RefreshingGrant;
import dev.conduit.api.grant.RevokingGrant;
import dev.conduit.api.grant.State;
import dev.conduit.api.grant.ValidatingGrant;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.TokenScope;
import dev.conduit.api.token.Subject;
import dev.conduit.api.token.TokenSet;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The authorization code grant with PKCE S256 and the RFC 9207 issuer check: one token per user, obtained once through
 * an authorization link, then refreshed with the refresh token, and revoked on disconnect.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1">RFC 6749 section 4.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636">RFC 7636 (PKCE)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9207">RFC 9207 (iss)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009">RFC 7009 (revocation)</a>
 */
public final class AuthorizationCodeGrant implements InteractiveGrant, RefreshingGrant, RevokingGrant, ValidatingGrant {

    public static final String TYPE = "authorization_code";

    /** How long an authorization link can be completed, unless the constructor says otherwise. */
    public static final Duration DEFAULT_PENDING_LIFETIME = Duration.ofMinutes(10);

    static final String REFRESH_TOKEN_HINT = "refresh_token";
    static final String ACCESS_TOKEN_HINT = "access_token";

    private final Duration pendingLifetime;

    /** The grant as {@link java.util.ServiceLoader} creates it: links valid for {@link #DEFAULT_PENDING_LIFETIME}. */
    public AuthorizationCodeGrant() {
        this(DEFAULT_PENDING_LIFETIME);
    }

    /** A grant whose authorization links can be completed within {@code pendingLifetime}. */
    public AuthorizationCodeGrant(Duration pendingLifetime) {
        Objects.requireNonNull(pendingLifetime, "pendingLifetime");
        if (pendingLifetime.isNegative() || pendingLifetime.isZero()) {
            throw ConduitException.invalidField("pendingLifetime", "must be positive, was " + pendingLifetime);
        }
        this.pendingLifetime = pendingLifetime;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TokenScope tokenScope() {
        return TokenScope.PER_USER;
    }

    /** Requires an authorization endpoint, and refuses configuration that would alter the protocol parameters. */
    @Override
    public void validate(ConnectedSystem system) {
        AuthorizationUrl.validate(system);
    }

    /**
     * A new authorization link for {@code user}: fresh state, a fresh PKCE verifier sent as its S256 challenge, the
     * exact redirect URI, and the issuer asked, remembered until {@code clock} passes the lifetime.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1">RFC 6749 section 4.1.1</a>
     */
    @Override
    public AuthorizationRequest begin(ConnectedSystem system, Subject user, String redirectUri, Clock clock) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(clock, "clock");
        if (user == null || !user.isUser()) {
            throw ConduitException.builder(ErrorCode.WRONG_SUBJECT,
                    "user: an authorization link is issued to a user, not to the application")
                    .field("user").system(system.name()).build();
        }
        checkRedirectUri(redirectUri);
        AuthorizationUrl.validate(system);
        State state = RandomValues.newState();
        CodeVerifier verifier = RandomValues.newCodeVerifier();
        URI url = AuthorizationUrl.build(system, redirectUri, state, verifier);
        PendingAuthorization pending = new PendingAuthorization(state, system.name(), user, verifier, redirectUri,
                system.endpoints().issuer().orElse(null), clock.instant().plus(pendingLifetime));
        return new AuthorizationRequest(url, pending);
    }

    /**
     * Checks the callback, then exchanges its code with the verifier and the redirect URI sent in {@link #begin},
     * byte for byte.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3">RFC 6749 section 4.1.3</a>
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.5">RFC 7636 section 4.5</a>
     */
    @Override
    public TokenSet complete(Map<String, String> callbackParameters, PendingAuthorization pending, GrantRequest request) {
        Objects.requireNonNull(callbackParameters, "callbackParameters");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(request, "request");
        ConnectedSystem system = request.system();
        if (!pending.systemName().equals(system.name())) {
            throw ConduitException.builder(ErrorCode.STATE_UNKNOWN,
                    "state: the authorization request was made for another connected system")
                    .field("state").system(system.name()).build();
        }
        if (!pending.user().equals(request.subject())) {
            throw ConduitException.builder(ErrorCode.STATE_USER_MISMATCH,
                    "state: the authorization request belongs to another user").field("state").system(system.name())
                    .build();
        }
        String code = AuthorizationResponse.code(callbackParameters, pending, system);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", TYPE);
        parameters.put("code", code);
        parameters.put("redirect_uri", pending.redirectUri());
        parameters.put("code_verifier", pending.codeVerifier().value());
        return request.tokenEndpoint().requestToken(parameters);
    }

    /**
     * Exchanges the refresh token. The {@code scope} parameter is never sent: RFC 6749 section 6 then grants the scope
     * originally granted, whereas repeating the configured scope after the provider granted less would be refused as
     * {@code invalid_scope}. The answer is returned as it came: core keeps the old refresh token when it has no new one, and a
     * new one (rotation) is for core to store inside the same {@code TokenStore.update}.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 section 6</a>
     */
    @Override
    public TokenSet refresh(GrantRequest request, Secret refreshToken) {
        Objects.requireNonNull(refreshToken, "refreshToken");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", REFRESH_TOKEN_HINT);
        parameters.put("refresh_token", refreshToken.reveal());
        return request.tokenEndpoint().requestToken(parameters);
    }

    /**
     * Revokes the refresh token (which also ends the access tokens of that grant at most providers) and, when there is
     * none or the provider refused it, the access token. A provider's refusal or absence is not an error: the caller
     * deletes the local tokens whatever happens.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2.1">RFC 7009 section 2.1</a>
     */
    @Override
    public void revoke(GrantRequest request, TokenSet tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.refreshToken() != null && revoked(request, tokens.refreshToken(), REFRESH_TOKEN_HINT)) {
            return;
        }
        revoked(request, tokens.accessToken(), ACCESS_TOKEN_HINT);
    }

    private static boolean revoked(GrantRequest request, Secret token, String hint) {
        try {
            return request.tokenEndpoint().revoke(token, hint);
        } catch (ConduitException e) {
            // an unreachable or failing revocation endpoint is a refusal: revocation is best effort (RFC 7009 section 2.2.1)
            return false;
        }
    }

    /** RFC 6749 section 3.1.2: an absolute URI without a fragment, sent and later repeated exactly as given. */
    private static void checkRedirectUri(String redirectUri) {
        if (redirectUri == null || redirectUri.isEmpty()) {
            throw redirectUriInvalid("is required");
        }
        URI uri;
        try {
            uri = new URI(redirectUri);
        } catch (URISyntaxException e) {
            throw redirectUriInvalid("is not a valid URI: " + e.getReason());
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw redirectUriInvalid("must be an absolute URI with a host");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw redirectUriInvalid("must use https (or http on loopback), not " + scheme);
        }
        if (uri.getRawFragment() != null) {
            throw redirectUriInvalid("must not have a fragment (RFC 6749 section 3.1.2)");
        }
        if (uri.getRawUserInfo() != null) {
            throw redirectUriInvalid("must not carry user information (user:password@)");
        }
    }

    private static ConduitException redirectUriInvalid(String problem) {
        return ConduitException.builder(ErrorCode.INVALID_REQUEST, "redirectUri: " + problem).field("redirectUri")
                .build();
    }
}
