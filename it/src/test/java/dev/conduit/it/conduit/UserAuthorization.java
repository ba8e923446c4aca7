package dev.conduit.it.conduit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.it.browser.Browser;
import dev.conduit.it.browser.BrowserLogin;
import dev.conduit.it.http.Http.Response;
import java.net.URI;

/**
 * A person authorizing a per-user system: signed in to Conduit in a browser, they open the authorization link, sign in
 * at Keycloak and land on Conduit's callback page.
 */
public final class UserAuthorization {

    private UserAuthorization() {
    }

    /** Asks Conduit for an authorization link as {@code user}; returns its URL. */
    public static String link(ConduitApi user, String system) {
        Response link = user.authorizationLink(system);
        assertThat(link.status()).as(link.toString()).isIn(200, 201);
        return link.json().get("url").asText();
    }

    /** Completes {@code authorizationUrl} in a fresh browser as the Conduit user and the Keycloak user given. */
    public static String complete(ConduitApi user, String system, String authorizationUrl, String keycloakUser,
            String keycloakPassword) {
        try (Browser browser = Browser.open()) {
            // the callback needs a Conduit login: sign in once, the browser answers the callback's challenge itself
            browser.signInWithBasicAuth(URI.create(user.base() + "/api/connected-systems/" + system + "/authorization"),
                    user.user(), user.password());
            String landed = BrowserLogin.loginAndAwait(browser, authorizationUrl, keycloakUser, keycloakPassword,
                    user.base() + "/oauth/callback");
            assertThat(browser.pageText()).as("callback page at " + landed).contains("Authorization complete");
            return landed;
        }
    }

    /** {@link #link} then {@link #complete}. */
    public static String authorize(ConduitApi user, String system, String keycloakUser, String keycloakPassword) {
        return complete(user, system, link(user, system), keycloakUser, keycloakPassword);
    }
}
