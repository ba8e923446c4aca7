package dev.conduit.it.browser;

/**
 * A person's login at Keycloak: open an authorization link, sign in, and land on the redirect URI.
 */
public final class BrowserLogin {

    private BrowserLogin() {
    }

    /**
     * Opens {@code authorizationUrl}, signs in at Keycloak as {@code user} and waits until the browser is on a URL
     * starting with {@code landingPrefix}.
     *
     * @return the URL the browser landed on
     */
    public static String loginAndAwait(Browser browser, String authorizationUrl, String user, String password,
            String landingPrefix) {
        return browser.open(authorizationUrl).signInAtKeycloak(user, password).awaitUrlStartingWith(landingPrefix);
    }
}
