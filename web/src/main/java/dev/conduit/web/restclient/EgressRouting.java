package dev.conduit.web.restclient;

import dev.conduit.core.policy.Egress;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Configuration;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;

/**
 * Makes every client that carries a connected system's token connect through the endpoint policy's egress tunnel
 * ({@link Egress#tunnelAddress()}), which resolves the host when the connection opens, checks that answer and connects
 * only to a checked address: a name that answers another address after {@link ConduitAuthentication}'s check (DNS
 * rebinding) cannot take the token there.
 *
 * <p>MicroProfile Rest Client calls this listener ({@code META-INF/services}) for every client it builds, injected
 * with {@code @RestClient} or built with {@link RestClientBuilder}; it sets the tunnel as the client's HTTP proxy when
 * the interface registers {@link ConduitAuthentication} or names a {@link ConnectedSystemName}. The implementation
 * then sends {@code CONNECT host:port} for https (TLS stays end to end) and absolute-form requests for plain http. A
 * plain JAX-RS client is routed with {@link #throughEgress(ClientBuilder)}. {@link ConduitAuthentication} refuses to
 * put a token on a request whose client was not routed here.
 *
 * <p>Such a client does not follow redirects either: the transport would put the token on the redirected request,
 * wherever it points, without the filter seeing it. A client that registers an HTTP engine of its own (which connects
 * by itself) or that configuration makes follow redirects is left unrouted, so its calls are refused.
 */
public final class EgressRouting implements RestClientListener {

    private static final Logger LOG = Logger.getLogger(EgressRouting.class.getName());

    /** The client property recording the tunnel a client connects through, which the filter compares on each call. */
    static final String ROUTE_PROPERTY = "dev.conduit.egressTunnel";
    // the proxy of a plain JAX-RS client: RESTEasy (Liberty's implementation) and Jersey each read their own keys
    static final String RESTEASY_PROXY_HOST = "org.jboss.resteasy.jaxrs.client.proxy.host";
    static final String RESTEASY_PROXY_PORT = "org.jboss.resteasy.jaxrs.client.proxy.port";
    static final String RESTEASY_PROXY_SCHEME = "org.jboss.resteasy.jaxrs.client.proxy.scheme";
    static final String JERSEY_PROXY_URI = "jersey.config.client.proxy.uri";
    /** Jersey follows redirects unless told not to (RESTEasy does not by default). */
    static final String JERSEY_FOLLOW_REDIRECTS = "jersey.config.client.followRedirects";
    /** A transport registered on a RESTEasy client replaces the one its builder would make with the proxy. */
    private static final String RESTEASY_ENGINE = "org.jboss.resteasy.client.jaxrs.ClientHttpEngine";

    @Override
    public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
        Configuration configuration = builder.getConfiguration();
        ConduitAuthentication registered = registeredInstance(configuration);
        if (registered == null && !carriesTokens(serviceInterface, configuration)) {
            return;
        }
        if (followsRedirectsByConfiguration(serviceInterface)) {
            LOG.log(Level.WARNING, "Rest Client {0} is configured to follow redirects (mp-rest/followRedirects), which "
                    + "would send its token to wherever a redirect points: its calls will be refused",
                    serviceInterface.getName());
            return;
        }
        if (registersOwnTransport(configuration)) {
            LOG.log(Level.WARNING, "Rest Client {0} registers its own HTTP engine, which connects without the egress "
                    + "tunnel: its calls will be refused", serviceInterface.getName());
            return;
        }
        Egress egress;
        try {
            egress = registered != null ? registered.egress() : ConduitAuthentication.applicationEgress();
        } catch (RuntimeException e) {
            // left unrouted: ConduitAuthentication then refuses every call of this client, with the reason
            LOG.log(Level.WARNING, "Rest Client {0} could not be routed through the egress tunnel ({1}): its calls "
                    + "will be refused", new Object[] {serviceInterface.getName(), e.toString()});
            return;
        }
        // the transport would put the token on the redirected request too, without the filter seeing where it goes
        builder.followRedirects(false);
        InetSocketAddress tunnel = egress.tunnelAddress();
        builder.proxyAddress(tunnel.getAddress().getHostAddress(), tunnel.getPort());
        builder.property(ROUTE_PROPERTY, route(tunnel));
    }

    /**
     * Routes a plain JAX-RS client that registers {@link ConduitAuthentication} through the egress tunnel of this
     * application's endpoint policy: {@code EgressRouting.throughEgress(ClientBuilder.newBuilder()).register(...)}.
     */
    public static ClientBuilder throughEgress(ClientBuilder builder) {
        return route(builder, ConduitAuthentication.applicationEgress());
    }

    static ClientBuilder route(ClientBuilder builder, Egress egress) {
        InetSocketAddress tunnel = egress.tunnelAddress();
        String host = tunnel.getAddress().getHostAddress();
        return builder.property(RESTEASY_PROXY_HOST, host).property(RESTEASY_PROXY_PORT, tunnel.getPort())
                .property(RESTEASY_PROXY_SCHEME, "http")
                .property(JERSEY_PROXY_URI, "http://" + route(tunnel)).property(JERSEY_FOLLOW_REDIRECTS, false)
                .property(ROUTE_PROPERTY, route(tunnel));
    }

    /**
     * Whether a client with this configuration connects through the tunnel that {@code egress} listens on now (the
     * tunnel's address is stable while the application runs; a client built for another one would connect elsewhere).
     */
    static boolean isRouted(Configuration configuration, Egress egress) {
        Object route = configuration == null ? null : configuration.getProperty(ROUTE_PROPERTY);
        return route != null && route.equals(route(egress.tunnelAddress()));
    }

    private static String route(InetSocketAddress tunnel) {
        return tunnel.getAddress().getHostAddress() + ":" + tunnel.getPort();
    }

    /**
     * Whether MicroProfile Config turns redirects on for the interface ({@code <interface>/mp-rest/followRedirects} or
     * {@code <configKey>/mp-rest/followRedirects}): the implementation reads that after its listeners ran, so it
     * cannot be turned off here.
     */
    static boolean followsRedirectsByConfiguration(Class<?> serviceInterface) {
        Config config;
        try {
            config = ConfigProvider.getConfig();
        } catch (RuntimeException e) {
            return false; // no MicroProfile Config: nothing can turn redirects on
        }
        List<String> prefixes = new ArrayList<>(List.of(serviceInterface.getName()));
        RegisterRestClient registration = serviceInterface.getAnnotation(RegisterRestClient.class);
        if (registration != null && !registration.configKey().isEmpty()) {
            prefixes.add(registration.configKey());
        }
        for (String prefix : prefixes) {
            if (config.getOptionalValue(prefix + "/mp-rest/followRedirects", Boolean.class).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a provider instance is the client's own transport, which ignores the proxy the builder is given. */
    private static boolean registersOwnTransport(Configuration configuration) {
        for (Object instance : configuration.getInstances()) {
            for (Class<?> type = instance.getClass(); type != null; type = type.getSuperclass()) {
                for (Class<?> implemented : type.getInterfaces()) {
                    if (implemented.getName().equals(RESTEASY_ENGINE)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static ConduitAuthentication registeredInstance(Configuration configuration) {
        for (Object instance : configuration.getInstances()) {
            if (instance instanceof ConduitAuthentication authentication) {
                return authentication;
            }
        }
        return null;
    }

    /**
     * Whether the interface's calls carry a Conduit token: it registers {@link ConduitAuthentication} (by class,
     * here or with {@link RegisterProvider}, which the implementation applies only after its listeners ran), or names
     * a connected system on itself or on a method.
     */
    static boolean carriesTokens(Class<?> serviceInterface, Configuration configuration) {
        for (Class<?> provider : configuration.getClasses()) {
            if (ConduitAuthentication.class.isAssignableFrom(provider)) {
                return true;
            }
        }
        for (RegisterProvider provider : serviceInterface.getAnnotationsByType(RegisterProvider.class)) {
            if (ConduitAuthentication.class.isAssignableFrom(provider.value())) {
                return true;
            }
        }
        if (serviceInterface.isAnnotationPresent(ConnectedSystemName.class)) {
            return true;
        }
        for (Method method : serviceInterface.getMethods()) {
            if (method.isAnnotationPresent(ConnectedSystemName.class)) {
                return true;
            }
        }
        return false;
    }
}
