package dev.conduit.it.conduit;

import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.proxy.RecordingProxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The connected systems the scenarios register, as the JSON an administrator posts. Conduit reaches Keycloak through
 * a {@link RecordingProxy}; the browser reaches Keycloak's login page directly.
 */
public final class TestSystems {

    private static final String OIDC = "/realms/" + Keycloak.REALM + "/protocol/openid-connect";

    /** The test server's renewal window ({@code conduit.tokens.renewal-window-seconds} in it/pom.xml). */
    public static final java.time.Duration RENEWAL_WINDOW = java.time.Duration.ofSeconds(2);

    private TestSystems() {
    }

    /**
     * Waits until a token obtained now is older than the renewal window: Conduit renews a rejected token at most once
     * per window, so a token revoked right after it was issued is renewed only after that.
     */
    public static void waitOutTheRenewalWindow() throws InterruptedException {
        Thread.sleep(RENEWAL_WINDOW.plusMillis(500).toMillis());
    }

    /** A name no earlier run used: the test server's database outlives a run. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Client credentials as {@code conduit-cc}; integration calls go to Keycloak's admin API, which accepts the
     * service account's token (role {@code view-users}) and checks its signature, expiry and revocation.
     */
    public static Map<String, Object> clientCredentials(String name, RecordingProxy proxy, String secret, String scope) {
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("name", name);
        system.put("description", "Keycloak admin API with client credentials");
        system.put("grantType", "client_credentials");
        system.put("tokenEndpoint", proxy.url() + OIDC + "/token");
        system.put("revocationEndpoint", proxy.url() + OIDC + "/revoke");
        system.put("integrationBaseUrl", proxy.url() + "/admin/realms/" + Keycloak.REALM);
        system.put("clientId", RealmClients.CC_CLIENT);
        system.put("clientSecret", secret);
        system.put("clientAuthMethod", "client_secret_basic");
        system.put("scope", scope);
        return system;
    }

    /**
     * Authorization code with PKCE as {@code conduit-web}; integration calls go to Keycloak's user-info endpoint,
     * which answers only for a valid, unrevoked user token with scope {@code openid}.
     */
    public static Map<String, Object> authorizationCode(String name, RecordingProxy proxy) {
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("name", name);
        system.put("description", "Keycloak user-info with each user's own token");
        system.put("grantType", "authorization_code");
        system.put("authorizationEndpoint", Keycloak.authorizationEndpoint());
        system.put("tokenEndpoint", proxy.url() + OIDC + "/token");
        system.put("revocationEndpoint", proxy.url() + OIDC + "/revoke");
        system.put("issuer", Keycloak.issuer());
        system.put("issuerParameterSupported", true);
        system.put("integrationBaseUrl", proxy.url() + OIDC);
        system.put("clientId", RealmClients.WEB_CLIENT);
        system.put("clientSecret", RealmClients.WEB_SECRET);
        system.put("clientAuthMethod", "client_secret_basic");
        system.put("scope", "openid orders.read");
        return system;
    }
}
