package dev.conduit.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tunnel's address across an idle stop: typed Rest Clients keep it as their proxy for as long as they live, so the
 * tunnel listens where they connect when it starts again.
 */
class EgressTunnelTest {

    private final EgressTunnel tunnel = new EgressTunnel(EndpointPolicy.allowingLoopback(List.of()));

    @Test
    void addressWhenTheTunnelStoppedAndStartsAgainThenItListensOnTheSamePort() throws IOException {
        InetSocketAddress first = tunnel.address();
        tunnel.stopListening();

        InetSocketAddress again = tunnel.address();

        assertThat(again).isEqualTo(first);
        assertThat(again.getAddress().isLoopbackAddress()).isTrue();
        tunnel.stopListening();
    }

    @Test
    void addressWhenAnotherProcessTookThePortMeanwhileThenAnotherPortAndNotTheOthers() throws IOException {
        InetSocketAddress first = tunnel.address();
        tunnel.stopListening();

        try (ServerSocket other = new ServerSocket(first.getPort(), 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress again = tunnel.address();

            assertThat(again.getPort()).isNotEqualTo(other.getLocalPort());
        } finally {
            tunnel.stopListening();
        }
    }
}
