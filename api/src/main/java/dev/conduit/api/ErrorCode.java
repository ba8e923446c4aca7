package dev.conduit.api;

/**
 * Machine-readable cause of a {@link ConduitException}, each with the hint a person can act on.
 *
 * <p>The names are part of the REST API (they appear in problem responses), so they never change meaning.
 */
public enum ErrorCode {
    // configuration
    INVALID_CONFIGURATION(400, "Correct the named field and save again."),
    ENDPOINT_NOT_ALLOWED(400, "Use an https URL on a public host, or allow-list the host in conduit.endpoints.allowed-hosts."),
    UNKNOWN_VARIABLE(400, "Define the variable on the connected system, or remove ${...} from the template."),
    UNKNOWN_GRANT_TYPE(400, "Use a grant type that is installed, or add the jar that provides it to the WAR."),
    GRANT_REGISTRY_INVALID(500, "Exactly one jar must provide each grant type: remove the duplicate or add the missing jar."),
    UNKNOWN_TEMPLATE(404, "Check the template id; GET /api/templates lists the provider templates this server has."),
    UNKNOWN_SYSTEM(404, "Check the connected system's name; GET /api/connected-systems lists them."),
    DUPLICATE_SYSTEM(409, "Choose another name, or edit the existing connected system with PUT."),
    CONCURRENT_MODIFICATION(409, "Someone else changed this connected system: reload it and apply your change again."),
    READ_ONLY_SYSTEM(409, "This connected system is defined in configuration: change the named property instead."),
    MISSING_IMPORT_VALUES(400, "Fill in every listed key in the customization file and import again."),
    INVALID_REQUEST(400, "Correct the request as described and send it again."),

    // token endpoint
    ENDPOINT_UNAVAILABLE(503, "Check that the token endpoint URL is right and reachable from this server; Conduit retries on its own."),
    RATE_LIMITED(503, "The provider is limiting requests; Conduit waits as long as it asks and retries."),
    INVALID_TOKEN_RESPONSE(502, "The token endpoint did not answer as OAuth 2.0 requires: check the token endpoint URL and the token response key."),
    INVALID_CLIENT(502, "The provider refused the client credentials: check the client id, the client secret and the client authentication method, then test the system."),
    INVALID_SCOPE(400, "Request only scopes the provider allows for this client, or allow them at the provider."),
    INVALID_GRANT(401, "The grant or refresh token is no longer valid: the user must authorize again."),
    TOKEN_ENDPOINT_ERROR(502, "The provider answered with an OAuth error: see its description and correct the connected system."),
    DISCOVERY_FAILED(502, "The issuer's metadata could not be read: check the issuer URL, or enter the endpoints by hand."),
    SYSTEM_DISABLED(503, "The connected system is disabled after repeated failures: correct it, then test or enable it."),

    // authorization code
    AUTHORIZATION_REQUIRED(401, "Open the authorization link and sign in at the provider once."),
    ACCESS_DENIED(403, "The user declined the authorization at the provider: open a new authorization link to try again."),
    STATE_MISSING(400, "The callback carries no state: start again from a new authorization link."),
    STATE_UNKNOWN(400, "The callback's state is not one Conduit issued: start again from a new authorization link."),
    STATE_EXPIRED(400, "The authorization link expired before it was completed: open a new one."),
    STATE_USER_MISMATCH(403, "This authorization link belongs to another user: each user opens a link of their own."),
    STATE_REPLAYED(400, "This authorization was already completed: open a new link if it is needed again."),
    ISSUER_MISMATCH(400, "The issuer does not match the configured one exactly (scheme, host, path, trailing slash): check the system's issuer URL."),
    ISSUER_MISSING(400, "The provider advertises the iss parameter but sent none: start again from a new authorization link."),
    INVALID_CALLBACK(400, "The callback is malformed: start again from a new authorization link."),
    AUTHORIZATION_ERROR(400, "The provider refused the authorization request: check the authorization endpoint, the scope and the redirect URI registered at the provider."),

    // subjects and calls
    WRONG_SUBJECT(400, "Per-user systems are called for a user and per-app systems for the application."),
    INTEGRATION_CALL_FAILED(502, "The resource server could not be reached: check the system's base URL."),
    FORBIDDEN(403, "Sign in with a user who has the required role."),
    SIGN_IN_FAILED(401, "Check the user name and password, or sign in through the organisation's identity provider."),
    CROSS_SITE_REQUEST(403, "Send state-changing requests from Conduit's own pages, or from a client that sends a JSON body "
            + "(Content-Type: application/json) and no Origin of another site."),
    INTERNAL_ERROR(500, "An unexpected error occurred: the server log has the details.");

    private final int httpStatus;
    private final String hint;

    ErrorCode(int httpStatus, String hint) {
        this.httpStatus = httpStatus;
        this.hint = hint;
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
