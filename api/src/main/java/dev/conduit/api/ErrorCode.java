package dev.conduit.api;

/**
 * Machine-readable cause of a {@link ConduitException}, each with the hint a person can act on.
 *
 * <p>The names are part of the REST API (they appear in problem responses), so they never change meaning. Each code's
 * {@link FailureScope} is the failure classification: the one table that says who suffers from it.
 *
 * <p>Each code's status is the one the REST API answers with. 401 is kept for a failed Conduit login
 * ({@code SIGN_IN_FAILED}), since that is how clients read it. {@code AUTHORIZATION_REQUIRED} and {@code INVALID_GRANT}
 * mean that the user must authorize at the provider, not log in to Conduit again, so they answer 403, which triggers
 * neither a browser's Basic prompt nor an HTTP client's credential retry; the problem's {@code code} tells them apart
 * from a missing role.
 */
public enum ErrorCode {
    // configuration
    INVALID_CONFIGURATION(400, FailureScope.REQUEST, "Correct the named field and save again."),
    ENDPOINT_NOT_ALLOWED(400, FailureScope.REQUEST, "Use an https URL on a public host, or allow-list the host in conduit.endpoints.allowed-hosts."),
    SECRET_REQUIRED(400, FailureScope.REQUEST, "Send the secret or key again in the same request: a stored secret is only ever sent to the host it was entered for."),
    UNKNOWN_VARIABLE(400, FailureScope.REQUEST, "Define the variable on the connected system, or remove ${...} from the template."),
    UNKNOWN_GRANT_TYPE(400, FailureScope.REQUEST, "Use a grant type that is installed, or add the jar that provides it to the WAR."),
    GRANT_REGISTRY_INVALID(500, FailureScope.CONDUIT, "Exactly one jar must provide each grant type: remove the duplicate or add the missing jar."),
    UNKNOWN_TEMPLATE(404, FailureScope.REQUEST, "Check the template id; GET /api/templates lists the provider templates this server has."),
    UNKNOWN_SYSTEM(404, FailureScope.REQUEST, "Check the connected system's name; GET /api/connected-systems lists them."),
    DUPLICATE_SYSTEM(409, FailureScope.REQUEST, "Choose another name, or edit the existing connected system with PUT."),
    CONCURRENT_MODIFICATION(409, FailureScope.REQUEST, "Someone else changed this connected system: reload it and apply your change again."),
    READ_ONLY_SYSTEM(409, FailureScope.REQUEST, "This connected system is defined in configuration: change the named property instead."),
    MISSING_IMPORT_VALUES(400, FailureScope.REQUEST, "Fill in every listed key in the customization file and import again."),
    INVALID_REQUEST(400, FailureScope.REQUEST, "Correct the request as described and send it again."),

    // token endpoint
    ENDPOINT_UNAVAILABLE(503, FailureScope.PROVIDER, "Check that the token endpoint URL is right and reachable from this server; Conduit retries on its own."),
    RATE_LIMITED(503, FailureScope.PROVIDER, "The provider is limiting requests; Conduit waits as long as it asks and retries."),
    INVALID_TOKEN_RESPONSE(502, FailureScope.PROVIDER, "The token endpoint did not answer as OAuth 2.0 requires: check the token endpoint URL and the token response key."),
    INVALID_CLIENT(502, FailureScope.SYSTEM, "The provider refused the client credentials: check the client id, the client secret and the client authentication method, then test the system."),
    INVALID_SCOPE(400, FailureScope.PROVIDER, "Request only scopes the provider allows for this client, or allow them at the provider."),
    INVALID_GRANT(403, FailureScope.USER, "The grant or refresh token is no longer valid: the user must authorize again."),
    TOKEN_ENDPOINT_ERROR(502, FailureScope.PROVIDER, "The provider answered with an OAuth error: see its description and correct the connected system."),
    DISCOVERY_FAILED(502, FailureScope.REQUEST, "The issuer's metadata could not be read: check the issuer URL, or enter the endpoints by hand."),
    SYSTEM_DISABLED(503, FailureScope.SYSTEM, "The connected system is disabled; the message says what disabled it and whether at once or after retries: correct that, then test or enable the system."),

    // authorization code
    AUTHORIZATION_REQUIRED(403, FailureScope.USER, "Open the authorization link and sign in at the provider once."),
    ACCESS_DENIED(403, FailureScope.USER, "The user declined the authorization at the provider: open a new authorization link to try again."),
    STATE_MISSING(400, FailureScope.REQUEST, "The callback carries no state: start again from a new authorization link."),
    STATE_UNKNOWN(400, FailureScope.REQUEST, "The callback's state is not one Conduit issued: start again from a new authorization link."),
    STATE_EXPIRED(400, FailureScope.REQUEST, "The authorization link expired before it was completed: open a new one."),
    STATE_USER_MISMATCH(403, FailureScope.REQUEST, "This authorization link belongs to another user: each user opens a link of their own."),
    STATE_REPLAYED(400, FailureScope.REQUEST, "This authorization was already completed: open a new link if it is needed again."),
    ISSUER_MISMATCH(400, FailureScope.REQUEST, "The issuer does not match the configured one exactly (scheme, host, path, trailing slash): check the system's issuer URL."),
    ISSUER_MISSING(400, FailureScope.REQUEST, "The provider advertises the iss parameter but sent none: start again from a new authorization link."),
    INVALID_CALLBACK(400, FailureScope.REQUEST, "The callback is malformed: start again from a new authorization link."),
    UNAUTHORIZED_CLIENT(400, FailureScope.PROVIDER, "The provider does not let this client use the authorization code flow: allow it for the client at the provider (Keycloak: Standard flow enabled), then open a new authorization link."),
    AUTHORIZATION_SERVER_UNAVAILABLE(503, FailureScope.PROVIDER, "The provider could not handle the authorization just now (server_error or temporarily_unavailable): open a new authorization link in a few minutes."),
    AUTHORIZATION_ERROR(400, FailureScope.USER, "The provider refused the authorization request: check the authorization endpoint, the scope and the redirect URI registered at the provider."),

    // subjects and calls
    WRONG_SUBJECT(400, FailureScope.REQUEST, "Per-user systems are called for a user and per-app systems for the application."),
    INTEGRATION_CALL_TIMEOUT(504, FailureScope.PROVIDER, "The resource server did not answer completely within the call's deadline: ask for less, or raise conduit.integration.deadline-seconds if it is slow by design."),
    INTEGRATION_RESPONSE_TOO_LARGE(502, FailureScope.PROVIDER, "The resource server's answer is larger than Conduit relays: ask for less (paging, filters), or raise conduit.integration.max-response-bytes."),
    PATH_OUTSIDE_BASE_URL(400, FailureScope.REQUEST, "Send a path below the system's integration base URL: no '.' or '..' segments, no empty segments ('//'), no encoded '/' or '\\' (%2F, %5C); percent-encode other reserved characters of a segment."),
    INTEGRATION_CALL_FAILED(502, FailureScope.PROVIDER, "The resource server could not be reached: check the system's base URL."),
    FORBIDDEN(403, FailureScope.REQUEST, "Sign in with a user who has the required role."),
    SIGN_IN_FAILED(401, FailureScope.REQUEST, "Check the user name and password, or sign in through the organisation's identity provider."),
    CROSS_SITE_REQUEST(403, FailureScope.REQUEST, "Send state-changing requests from Conduit's own pages, or from a client that sends a JSON body "
            + "(Content-Type: application/json) and no Origin of another site."),
    STORE_UNAVAILABLE(503, FailureScope.CONDUIT, "Conduit's database did not answer: check that it is running and reachable (GET /health/ready shows it); calls succeed again by themselves once it answers."),
    CONFIGURATION_TAMPERED(500, FailureScope.SYSTEM, "The stored configuration does not match its seal: it was changed outside Conduit, or sealed with a key that is no longer configured. Configure that key, or delete the system and create it again."),
    INTERNAL_ERROR(500, FailureScope.CONDUIT, "An unexpected error occurred: the server log has the details.");

    private final int httpStatus;
    private final FailureScope scope;
    private final String hint;

    ErrorCode(int httpStatus, FailureScope scope, String hint) {
        this.httpStatus = httpStatus;
        this.scope = scope;
        this.hint = hint;
    }

    /** Who the failure belongs to, which decides what else it affects (see {@link FailureScope#effect()}). */
    public FailureScope scope() {
        return scope;
    }

    /** The HTTP status the REST API answers with for this code. */
    public int httpStatus() {
        return httpStatus;
    }

    /** What a person should do about it. */
    public String hint() {
        return hint;
    }
}
