package dev.conduit.core.testing;

import dev.conduit.core.policy.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A DNS that rebinds one name: it answers {@code atCheck} to every lookup but the one made while a connection opens
 * (inside {@code dev.conduit.core.policy.Egress} or its tunnel), which gets {@code atConnection}. That is the answer an
 * attacker who controls the name's DNS gives between Conduit's check and the client's connection. Other names resolve
 * as usual.
 */
public final class RebindingResolver implements HostResolver {

    private final String host;
    private final InetAddress atCheck;
    private final InetAddress atConnection;

    public RebindingResolver(String host, String atCheck, String atConnection) {
        this.host = host;
        this.atCheck = literal(atCheck);
        this.atConnection = literal(atConnection);
    }

    @Override
    public InetAddress[] resolve(String name) throws UnknownHostException {
        if (!name.equalsIgnoreCase(host)) {
            return InetAddress.getAllByName(name);
        }
        boolean connecting = StackWalker.getInstance().walk(frames -> frames.anyMatch(frame ->
                frame.getClassName().equals("dev.conduit.core.policy.Egress")
                || frame.getClassName().equals("dev.conduit.core.policy.EgressTunnel")));
        return new InetAddress[] {connecting ? atConnection : atCheck};
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
