package dev.conduit.web.store;

import dev.conduit.api.Secret;
import dev.conduit.api.system.BodyFormat;
import dev.conduit.api.system.ClientAuthMethod;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.RetryPolicy;
import dev.conduit.api.system.TemplateReference;
import dev.conduit.api.system.Variable;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The connected systems the store tests keep: one with the fewest fields, one with every field away from its default. */
final class StoredSystems {

    static final String CLIENT_SECRET = "client-secret-3e8b1f27c94d";
    static final String SECRET_VARIABLE_VALUE = "tenant-key-b71c49e0d2a6";
    /** Stands in for a PKCS#8 PEM key: the store keeps it as an opaque secret and never parses it. */
    static final String ASSERTION_KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDf4c1a";
    static final String ASSERTION_KEY =
            "-----BEGIN PRIVATE KEY-----\n" + ASSERTION_KEY_BODY + "\n-----END PRIVATE KEY-----\n";

    private StoredSystems() {
    }

    /** Only the required fields; everything else keeps the builder's default. */
    static ConnectedSystem.Builder minimal(String name) {
        return ConnectedSystem.builder()
                .name(name)
                .grantType("client_credentials")
                .tokenEndpoint("https://idp.example.com/token")
                .clientId("conduit");
    }

    /** Every field set, and set to something other than its default, so a field the store forgets shows. */
    static ConnectedSystem.Builder everyField(String name) {
        return ConnectedSystem.builder()
                .name(name)
                .description("Orders in the CRM, per user")
                .category("sales")
                .grantType("authorization_code")
                .variable(Variable.plain("subdomain", "acme"))
                .variable(Variable.secret("tenantKey", Secret.of(SECRET_VARIABLE_VALUE)))
                .variable(Variable.secret("notYetSupplied", null))
                .variable(Variable.plain("region", "eu-west"))
                .tokenEndpoint("https://${subdomain}.idp.example.com/oauth2/token")
                .authorizationEndpoint("https://acme.idp.example.com/oauth2/authorize")
                .revocationEndpoint("https://acme.idp.example.com/oauth2/revoke")
                .introspectionEndpoint("https://acme.idp.example.com/oauth2/introspect")
                .issuer("https://acme.idp.example.com")
                .issuerParameterSupported(true)
                .integrationBaseUrl("https://api.example.com/${region}/v2")
                .clientId("conduit client \"quoted\" {json}")
                .clientSecret(Secret.of(CLIENT_SECRET))
                .clientAuthMethod(ClientAuthMethod.PRIVATE_KEY_JWT)
                .clientAssertionKey(Secret.of(ASSERTION_KEY))
                .clientAssertionKeyId("signing-2026")
                .scope("orders:read openid offline_access")
                .includeScope(false)
                .retryPolicy(new RetryPolicy(7, Duration.ofSeconds(95)))
                .tokenRejectedStatuses(Set.of(401, 419, 503))
                .tokenResponseKey("data.token")
                .bodyFormat(BodyFormat.JSON)
                .extraQueryParameter("zeta", "last-first")
                .extraQueryParameter("audience", "https://api.example.com")
                .extraFormParameter("resource", "urn:${subdomain}:orders")
                .extraFormParameter("a", "\u00e9t\u00e9 \u2713")
                .extraHeader("X-Tenant", "${tenantKey}")
                .extraHeader("Accept-Language", "de-CH")
                .extraAuthorizationParameters(Map.of("access_type", "offline"))
                .bearerTokenTypes(Set.of("user"))
                .template(new TemplateReference("acme-idp", 3))
                .defaultTokenLifetime(Duration.ofMinutes(17).plusSeconds(3))
                .refreshAhead(Duration.ofMillis(12_500))
                .renewalWindow(Duration.ofSeconds(45))
                .callDeadline(Duration.ofSeconds(12));
    }
}
