package dev.conduit.api.system;

import dev.conduit.api.ConduitException;

/**
 * How Conduit authenticates to the token endpoint.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1">RFC 6749 section 2.3.1</a>
 */
public enum ClientAuthMethod {
    /** HTTP Basic with the form-urlencoded client id and secret. */
    CLIENT_SECRET_BASIC("client_secret_basic"),
    /** {@code client_id} and {@code client_secret} in the request body. */
    CLIENT_SECRET_POST("client_secret_post"),
    /**
     * A JWT client assertion signed with the system's private key (RS256 or ES256); no shared secret.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-2.2">RFC 7523 section 2.2</a>
     */
    PRIVATE_KEY_JWT("private_key_jwt");

    private final String wireName;

    ClientAuthMethod(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in configuration and RFC 8414 metadata. */
    public String wireName() {
        return wireName;
    }

    /** Parses the wire name (case-insensitive). */
    public static ClientAuthMethod fromWireName(String name) {
        for (ClientAuthMethod m : values()) {
            if (m.wireName.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw ConduitException.invalidField("clientAuthMethod",
                "'" + name + "' is not supported; use client_secret_basic, client_secret_post or private_key_jwt");
    }
}
