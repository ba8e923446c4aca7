package dev.conduit.it.keycloak;

/** The clients and users of {@code conduit-realm.json}; the values here and in the JSON change together. */
public final class RealmClients {

    /** Client credentials; may ask for {@code orders.read} but not {@code orders.write}; its service account may view users. */
    public static final String CC_CLIENT = "conduit-cc";
    public static final String CC_SECRET = "conduit-cc-secret";

    /** Authorization code with PKCE S256, 15 s access tokens, single-use rotating refresh tokens. */
    public static final String WEB_CLIENT = "conduit-web";
    public static final String WEB_SECRET = "conduit-web-secret";

    /**
     * Client credentials with a signed JWT ({@code client-jwt} authenticator): its certificate is in the realm, the
     * private key in {@code src/test/resources/keys/conduit-jwt.key}; its service account may view users.
     */
    public static final String JWT_CLIENT = "conduit-jwt";
    public static final String JWT_KEY_RESOURCE = "/keys/conduit-jwt.key";

    /** Standard token exchange (RFC 8693) enabled; its own tokens carry itself as audience. */
    public static final String EXCHANGE_CLIENT = "conduit-exchange";
    public static final String EXCHANGE_SECRET = "conduit-exchange-secret";

    /** The resource server that introspects tokens whose audience is {@code orders-api}. */
    public static final String ORDERS_API = "orders-api";
    public static final String ORDERS_API_SECRET = "orders-api-secret";

    public static final String CONSOLE_CLIENT = "conduit-console";
    public static final String CONSOLE_SECRET = "conduit-console-secret";
    /** In Keycloak group {@code conduit-admin}: an administrator when signing in to the console with OpenID Connect. */
    public static final String CAROL = "carol";
    public static final String CAROL_PASSWORD = "carol-kc-pass";
    /** In Keycloak group {@code conduit-user}. */
    public static final String DAVE = "dave";
    public static final String DAVE_PASSWORD = "dave-kc-pass";

    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "alice-kc-pass";

    private RealmClients() {
    }
}
