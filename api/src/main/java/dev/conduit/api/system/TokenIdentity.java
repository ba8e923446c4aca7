package dev.conduit.api.system;

import java.util.Map;

/**
 * Everything that decides which token a connected system is issued, or where its tokens go: the grant, the endpoints,
 * the client and its secrets, the token request (scope, whether it is sent, extra parameters ...), the integration base
 * URL and the variables templates fill in. Two configurations with unequal identities must not share tokens, so an edit
 * that changes it discards them. Lifecycle settings (retries, lifetimes, rejection statuses) and descriptive fields are
 * not part of it: changing them keeps every token.
 */
public record TokenIdentity(String grantType, Endpoints endpoints, ClientAuthentication client,
        TokenRequest tokenRequest, Integration integration, Map<String, Variable> variables) {

    public TokenIdentity {
        variables = Map.copyOf(variables);
    }
}
