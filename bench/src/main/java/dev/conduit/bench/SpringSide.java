package dev.conduit.bench;

import java.time.Duration;
import java.time.Instant;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * The peer as a Spring application sets it up for calls made outside a web request: an
 * {@link AuthorizedClientServiceOAuth2AuthorizedClientManager} over the in-memory client registration repository and
 * authorized client service, with the client credentials provider, pointed at the shared loopback token endpoint.
 */
public final class SpringSide {

    public static final String REGISTRATION_ID = "bench";
    /** The name the application's calls are made under; client credentials tokens are still stored per name. */
    public static final String PRINCIPAL = "bench-app";

    private final ClientRegistration registration;
    private final InMemoryOAuth2AuthorizedClientService clients;
    private final AuthorizedClientServiceOAuth2AuthorizedClientManager manager;
    private final String registrationId;
    private final String principal;

    public SpringSide(String tokenUrl) {
        this.registration = ClientRegistration.withRegistrationId(REGISTRATION_ID)
                .clientId(LoopbackTokenServer.CLIENT_ID)
                .clientSecret(LoopbackTokenServer.CLIENT_SECRET)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("read")
                .tokenUri(tokenUrl)
                .build();
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
        this.clients = new InMemoryOAuth2AuthorizedClientService(registrations);
        OAuth2AuthorizedClientProvider provider = OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials()
                .build();
        this.manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, clients);
        manager.setAuthorizedClientProvider(provider);
        // the caller's strings are not the registration's instances, as in an application
        this.registrationId = new String(REGISTRATION_ID.toCharArray());
        this.principal = new String(PRINCIPAL.toCharArray());
    }

    /**
     * The application's access token, asked for as Spring's documentation shows: a new {@link OAuth2AuthorizeRequest}
     * per call, then {@code authorize}.
     */
    public OAuth2AccessToken applicationToken() {
        OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId(registrationId)
                .principal(principal)
                .build();
        OAuth2AuthorizedClient client = manager.authorize(request);
        if (client == null) {
            throw new IllegalStateException("Spring returned no authorized client for " + REGISTRATION_ID);
        }
        return client.getAccessToken();
    }

    /** Replaces the stored token by one that expired a millisecond ago. */
    public void seedJustExpired() {
        Instant now = Instant.now();
        OAuth2AccessToken expired = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "seed-expired",
                now.minus(Duration.ofHours(1)), now.minusMillis(1));
        clients.saveAuthorizedClient(new OAuth2AuthorizedClient(registration, PRINCIPAL, expired), principalAuthentication());
    }

    private static Authentication principalAuthentication() {
        return UsernamePasswordAuthenticationToken.unauthenticated(PRINCIPAL, null);
    }
}
