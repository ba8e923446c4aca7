package dev.conduit.grant.authorizationcode;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.OAuthError;
import dev.conduit.api.grant.PendingAuthorization;
import dev.conduit.api.system.ConnectedSystem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Checks the parameters the provider redirected the user back with, and yields the authorization code only when
 * nothing is wrong. Every check happens before any token request.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 section 4.1.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9207#section-2.4">RFC 9207 section 2.4</a>
 */
final class AuthorizationResponse {

    static final String ACCESS_DENIED = "access_denied";

    private AuthorizationResponse() {
    }

    /**
     * The {@code code} of a callback that answers {@code pending}, or the {@link ConduitException} saying what is wrong:
     * {@code STATE_MISSING}, {@code STATE_UNKNOWN}, {@code INVALID_CALLBACK}, {@code ISSUER_MISMATCH},
     * {@code ISSUER_MISSING}, {@code ACCESS_DENIED} or {@code AUTHORIZATION_ERROR}.
     */
    static String code(Map<String, String> callback, PendingAuthorization pending, ConnectedSystem system) {
        checkState(callback.get("state"), pending);
        if (callback.get("code") != null && callback.get("error") != null) {
            throw fail(ErrorCode.INVALID_CALLBACK, system,
                    "the callback carries both code and error; a provider sends one or the other");
        }
        // RFC 9207 section 2.4: the issuer is checked before the response is used, error responses included,
        // so that a mix-up attacker's error cannot be shown as the real provider's
        checkIssuer(callback.get("iss"), pending, system);
        String error = callback.get("error");
        if (error != null) {
            throw providerError(new OAuthError(error, callback.get("error_description"), callback.get("error_uri")),
                    system);
        }
        String code = callback.get("code");
        if (code == null || code.isEmpty()) {
            throw fail(ErrorCode.INVALID_CALLBACK, system, "the callback carries neither code nor error");
        }
        return code;
    }

    private static void checkState(String state, PendingAuthorization pending) {
        if (state == null || state.isEmpty()) {
            throw ConduitException.builder(ErrorCode.STATE_MISSING, "state: the callback carries no state")
                    .field("state").system(pending.systemName()).build();
        }
        // core looked the pending authorization up by this state; comparing again keeps the grant safe on its own
        if (!MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                pending.state().value().getBytes(StandardCharsets.UTF_8))) {
            throw ConduitException.builder(ErrorCode.STATE_UNKNOWN,
                    "state: the callback's state is not the one of this authorization request")
                    .field("state").system(pending.systemName()).build();
        }
    }

    /**
     * RFC 9207: an {@code iss} must equal the issuer asked, compared as strings (no normalisation: a trailing slash or
     * another case is another issuer). When no issuer is configured an {@code iss} cannot be checked at all, so it is
     * refused rather than trusted: the administrator configures the issuer and the user tries again.
     */
    private static void checkIssuer(String iss, PendingAuthorization pending, ConnectedSystem system) {
        String expected = pending.issuer();
        if (iss == null) {
            if (system.endpoints().issuerParameterSupported()) {
                throw fail(ErrorCode.ISSUER_MISSING, system,
                        "iss: the provider advertises the iss parameter (RFC 9207) but the callback carries none");
            }
            return;
        }
        if (expected == null) {
            throw ConduitException.builder(ErrorCode.ISSUER_MISMATCH, "iss: the callback names the issuer '"
                    + OAuthError.strip(iss) + "', but no issuer is configured for " + system.name()
                    + " to compare it with; set the system's issuer to the provider's issuer identifier")
                    .field("issuer").system(system.name()).build();
        }
        if (!expected.equals(iss)) {
            throw fail(ErrorCode.ISSUER_MISMATCH, system, "iss: the callback names the issuer '" + OAuthError.strip(iss)
                    + "', but the request was sent to '" + expected + "'");
        }
    }

    /**
     * Each error the authorization endpoint may send gets its own code, so that the hint names the fix; the OAuthError
     * is stripped to the RFC 6749 character set, so the messages built from it are clean too.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 section 4.1.2.1</a>
     */
    private static ConduitException providerError(OAuthError error, ConnectedSystem system) {
        String name = system.name();
        ConduitException.Builder failure = switch (error.error()) {
            case ACCESS_DENIED -> ConduitException.builder(ErrorCode.ACCESS_DENIED,
                    "the user declined the authorization of " + name + " at the provider");
            case "invalid_scope" -> ConduitException.builder(ErrorCode.INVALID_SCOPE, "the provider refused the scope"
                    + " requested for " + name + " (" + error + "); the scope requested is '" + system.tokenRequest().scope() + "'")
                    .field("scope");
            case "unauthorized_client" -> ConduitException.builder(ErrorCode.UNAUTHORIZED_CLIENT,
                    "the provider does not let the client of " + name + " obtain an authorization code: " + error);
            case "server_error", "temporarily_unavailable" -> ConduitException.builder(
                    ErrorCode.AUTHORIZATION_SERVER_UNAVAILABLE,
                    "the provider could not handle the authorization of " + name + " just now: " + error);
            default -> ConduitException.builder(ErrorCode.AUTHORIZATION_ERROR,
                    "the provider refused the authorization of " + name + ": " + error);
        };
        return failure.oauthError(error).system(name).build();
    }

    private static ConduitException fail(ErrorCode code, ConnectedSystem system, String message) {
        return ConduitException.builder(code, message).system(system.name()).build();
    }
}
