package dev.conduit.it.restclient;

import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.web.restclient.AuthorizationRequiredException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * An application's own resource in a jar added to Conduit's WAR, using two typed Rest Clients; served under
 * {@code /api/typed} with the caller's Conduit login.
 */
@Path("typed")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TypedClients {

    /** Connected systems the clients name; the test registers them. */
    public static final String ADMIN_SYSTEM = "it-typed-keycloak-admin";
    public static final String USERINFO_SYSTEM = "it-typed-keycloak-userinfo";

    @Inject
    @RestClient
    KeycloakUsersClient users;

    @Inject
    @RestClient
    UserInfoClient userInfo;

    @Inject
    EndpointPolicy policy;

    @GET
    @Path("users")
    public String users(@QueryParam("username") String username) {
        return users.find(username, true);
    }

    /** The caller's user info, or 409 with the link the caller must open when they have not authorized. */
    @GET
    @Path("me")
    public Response me() {
        try {
            return Response.ok(userInfo.me()).build();
        } catch (AuthorizationRequiredException e) {
            return Response.status(Response.Status.CONFLICT).entity(Json.createObjectBuilder()
                    .add("connectedSystem", e.connectedSystem())
                    .add("authorizationUrl", e.authorizationUrl().toString())
                    .add("expiresAt", e.expiresAt().toString()).build().toString()).build();
        }
    }

    /**
     * The users client built with {@code RestClientBuilder} for another base URL, the exception left to Conduit's
     * mapping: a URL outside the system's integration base URL is refused before anything is sent.
     */
    @GET
    @Path("users-at")
    public String usersAt(@QueryParam("base") String base, @QueryParam("username") String username) throws Exception {
        try (KeycloakUsersClient elsewhere = RestClientBuilder.newBuilder().baseUri(URI.create(base))
                .build(KeycloakUsersClient.class)) {
            return elsewhere.find(username, true);
        }
    }

    /** How many plain-http requests Conduit's egress tunnel has sent on since the server started. */
    @GET
    @Path("tunnelled")
    public long tunnelled() {
        return policy.egress().forwardedRequests();
    }

    /** The same call with the exception left to Conduit's mapping. */
    @GET
    @Path("me-unhandled")
    public String meUnhandled() {
        return userInfo.me();
    }
}
