package dev.conduit.web.security;

import dev.conduit.api.Secret;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * OpenID Connect sign-in to the console through the organisation's identity provider, from MicroProfile Config
 * ({@code conduit.signin.oidc.*}); on when {@code issuer} is set.
 *
 * @param issuer       {@code issuer}: the provider's issuer URL; its discovery document must name exactly it
 * @param clientId     {@code client-id}: the console's client at the provider
 * @param clientSecret {@code client-secret}: its secret (sent with HTTP Basic, RFC 6749 section 2.3.1)
 * @param scope        {@code scope}: default {@code openid profile email}
 * @param nameClaim    {@code name-claim}: the ID token claim that names the caller; default {@code preferred_username}
 * @param groupsClaim  {@code groups-claim}: the ID token claim that lists the caller's groups; default {@code groups}
 * @param adminGroup   {@code admin-group}: the provider group whose members get {@code conduit-admin}; default
 *                     {@code conduit-admin}
 * @param userGroup    {@code user-group}: the provider group whose members get {@code conduit-user}; default
 *                     {@code conduit-user}
 */
public record OidcSettings(String issuer, String clientId, Secret clientSecret, String scope, String nameClaim,
        String groupsClaim, String adminGroup, String userGroup) {

    static final String PREFIX = "conduit.signin.oidc.";

    public OidcSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(clientId, "client-id");
        Objects.requireNonNull(clientSecret, "client-secret");
    }

    /** The settings when {@code conduit.signin.oidc.issuer} is set; a missing client id or secret stops start-up. */
    static Optional<OidcSettings> from(Config config) {
        Optional<String> issuer = config.getOptionalValue(PREFIX + "issuer", String.class).filter(v -> !v.isBlank());
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OidcSettings(issuer.get().strip(),
                required(config, "client-id"),
                Secret.of(required(config, "client-secret")),
                optional(config, "scope", "openid profile email"),
                optional(config, "name-claim", "preferred_username"),
                optional(config, "groups-claim", "groups"),
                optional(config, "admin-group", "conduit-admin"),
                optional(config, "user-group", "conduit-user")));
    }

    private static String required(Config config, String key) {
        return config.getOptionalValue(PREFIX + key, String.class).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalStateException(PREFIX + key + " must be set when " + PREFIX
                        + "issuer is set (environment variable CONDUIT_SIGNIN_OIDC_"
                        + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + ")"));
    }

    private static String optional(Config config, String key, String fallback) {
        return config.getOptionalValue(PREFIX + key, String.class).filter(v -> !v.isBlank()).map(String::strip)
                .orElse(fallback);
    }
}
