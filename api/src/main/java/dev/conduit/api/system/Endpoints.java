package dev.conduit.api.system;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a connected system's authorization server is reached, as RFC 8414 metadata names it.
 *
 * @param token                    the token endpoint URL template (RFC 6749 section 3.2)
 * @param authorization            the authorization endpoint (RFC 6749 section 3.1)
 * @param revocation               the revocation endpoint (RFC 7009)
 * @param introspection            the introspection endpoint (RFC 7662)
 * @param issuer                   the issuer identifier, compared exactly with RFC 9207 {@code iss}
 * @param issuerParameterSupported whether the server sends {@code iss} on authorization responses (RFC 9207)
 */
public record Endpoints(String token, Optional<String> authorization, Optional<String> revocation,
        Optional<String> introspection, Optional<String> issuer, boolean issuerParameterSupported) {

    public Endpoints {
        authorization = Objects.requireNonNullElse(authorization, Optional.empty());
        revocation = Objects.requireNonNullElse(revocation, Optional.empty());
        introspection = Objects.requireNonNullElse(introspection, Optional.empty());
        issuer = Objects.requireNonNullElse(issuer, Optional.empty());
    }
}
