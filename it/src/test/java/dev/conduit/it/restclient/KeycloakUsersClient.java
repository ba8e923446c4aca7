package dev.conduit.it.restclient;

import dev.conduit.web.restclient.ConduitAuthentication;
import dev.conduit.web.restclient.ConnectedSystemName;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Keycloak's admin API for users, called with the application's token of the per-app system. */
@RegisterRestClient(configKey = TypedClients.ADMIN_SYSTEM)
@RegisterProvider(ConduitAuthentication.class)
@ConnectedSystemName(TypedClients.ADMIN_SYSTEM)
public interface KeycloakUsersClient extends AutoCloseable {

    @GET
    @Path("users")
    @Produces(MediaType.APPLICATION_JSON)
    String find(@QueryParam("username") String username, @QueryParam("exact") boolean exact);
}
