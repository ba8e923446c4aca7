package dev.conduit.it.keycloak;

/**
 * The Keycloak of this test run: started on first use, once per test JVM, and stopped when the JUnit session closes
 * ({@link KeycloakSessionListener}) or, should that not happen, when the JVM exits. The realm is
 * {@code it/src/test/keycloak/conduit-realm.json}.
 */
public final class Keycloak {

    public static final String REALM = "conduit";

    private static KeycloakServer server;
    private static Thread shutdownHook;

    private Keycloak() {
    }

    /** The running server, started now if this is the first call. */
    public static synchronized KeycloakServer server() {
        if (server == null) {
            server = KeycloakServer.start(KeycloakServer.Settings.fromSystemProperties(REALM));
            shutdownHook = new Thread(Keycloak::stopQuietly, "keycloak-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return server;
    }

    /** Stops Keycloak if it was started. */
    static synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } finally {
            server = null;
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // called from the hook itself
            }
        }
    }

    private static void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("could not stop Keycloak: " + e);
        }
    }

    /** {@code http://localhost:PORT/realms/conduit}, the issuer. */
    public static String issuer() {
        return server().baseUri() + "/realms/" + REALM;
    }

    public static String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public static String authorizationEndpoint() {
        return issuer() + "/protocol/openid-connect/auth";
    }

    public static String revocationEndpoint() {
        return issuer() + "/protocol/openid-connect/revoke";
    }

    public static String introspectionEndpoint() {
        return issuer() + "/protocol/openid-connect/token/introspect";
    }

    public static String userInfoEndpoint() {
        return issuer() + "/protocol/openid-connect/userinfo";
    }

    /** The realm's admin REST API, a resource server for client-credentials tokens with {@code view-users}. */
    public static String adminApi() {
        return server().baseUri() + "/admin/realms/" + REALM;
    }
}
