package dev.conduit.it.restclient;

import dev.conduit.web.restclient.ConduitAuthentication;
import dev.conduit.web.restclient.ConnectedSystemName;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Keycloak's user-info endpoint, called with the calling user's token of the per-user system. */
@RegisterRestClient(configKey = TypedClients.USERINFO_SYSTEM)
@RegisterProvider(ConduitAuthentication.class)
@ConnectedSystemName(TypedClients.USERINFO_SYSTEM)
public interface UserInfoClient {

    @GET
    @Path("userinfo")
    @Produces(MediaType.APPLICATION_JSON)
    String me();
}
