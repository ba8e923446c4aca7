package dev.conduit.core.endpoint;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.conduit.api.ConduitException;
import dev.conduit.api.Secret;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * Signs {@code private_key_jwt} client assertions: {@code iss} and {@code sub} the client id, {@code aud} the token
 * endpoint URL, a fresh {@code jti}, and a one-minute lifetime. RS256 for an RSA key, ES256 for an EC P-256 key.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-3">RFC 7523 section 3</a>
 */
public final class ClientAssertion {

    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration LIFETIME = Duration.ofSeconds(60);

    private ClientAssertion() {
    }

    /**
     * Refuses a key that cannot sign assertions: not a PKCS#8 PEM, or neither RSA nor EC P-256. Run when a system is
     * saved, so that a bad key is refused naming {@code clientAssertionKey} rather than failing every token request.
     *
     * @throws ConduitException {@code INVALID_CONFIGURATION}, field {@code clientAssertionKey}; never quoting the key
     */
    public static void validateKey(Secret pemKey) {
        signer(pemKey);
    }

    /**
     * Reads the key once, for every assertion signed with it.
     *
     * @throws ConduitException {@code INVALID_CONFIGURATION}, field {@code clientAssertionKey}; never quoting the key
     */
    static Signer signer(Secret pemKey) {
        PrivateKey key = parse(pemKey);
        try {
            if (key instanceof RSAPrivateKey rsa) {
                return new Signer(new RSASSASigner(rsa), JWSAlgorithm.RS256);
            }
            if (key instanceof ECPrivateKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
                return new Signer(new ECDSASigner(ec), JWSAlgorithm.ES256);
            }
        } catch (JOSEException e) {
            throw ConduitException.invalidField("clientAssertionKey", "cannot sign with this key: " + e.getMessage());
        }
        throw ConduitException.invalidField("clientAssertionKey", "must be an RSA or EC P-256 private key");
    }

    /** A private key read and ready to sign: RS256 for RSA, ES256 for EC P-256. */
    static final class Signer {
        private final JWSSigner signer;
        private final JWSAlgorithm algorithm;

        private Signer(JWSSigner signer, JWSAlgorithm algorithm) {
            this.signer = signer;
            this.algorithm = algorithm;
        }

        /** A signed assertion for one request, naming {@code audience}. */
        String sign(String clientId, String audience, String keyId, Clock clock) {
            Instant now = clock.instant();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                    .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(LIFETIME))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId)
                    .build(), claims);
            try {
                jwt.sign(signer);
            } catch (JOSEException e) {
                throw ConduitException.invalidField("clientAssertionKey", "cannot sign with this key: "
                        + e.getMessage());
            }
            return jwt.serialize();
        }

        /** Names the algorithm, never the key. */
        @Override
        public String toString() {
            return "Signer[" + algorithm + "]";
        }
    }

    /** Reads a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) RSA or EC key. */
    static PrivateKey parse(Secret pem) {
        String text = pem.reveal();
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw ConduitException.invalidField("clientAssertionKey",
                    "must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----); convert with "
                            + "'openssl pkcs8 -topk8 -nocrypt'");
        }
        String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ConduitException.invalidField("clientAssertionKey", "is not valid base64 PEM");
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // try the next key type
            }
        }
        throw ConduitException.invalidField("clientAssertionKey", "is neither an RSA nor an EC private key");
    }
}
