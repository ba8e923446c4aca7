package dev.conduit.it.cluster;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.spi.Container;
import org.jboss.arquillian.container.spi.ServerKillProcessor;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * {@code ContainerController.kill(...)} for the managed Liberty servers: SIGKILL to the server's JVM, as a crash or an
 * out-of-memory kill would end it, with no quiesce and no shutdown hook. The JVM is the one running
 * {@code ws-server.jar} whose last argument is the container's server name (the managed container starts it with
 * {@code server run <name>}, which writes no pid file).
 */
public final class LibertyKill implements ServerKillProcessor {

    /** Registers the kill with Arquillian (META-INF/services). */
    public static final class Extension implements LoadableExtension {
        @Override
        public void register(ExtensionBuilder builder) {
            builder.service(ServerKillProcessor.class, LibertyKill.class);
        }
    }

    @Override
    public void kill(Container container) throws Exception {
        String serverName = Objects.requireNonNull(
                container.getContainerConfiguration().getContainerProperties().get("serverName"), "serverName");
        List<ProcessHandle> servers = ProcessHandle.allProcesses().filter(p -> runsServer(p, serverName)).toList();
        if (servers.size() != 1) {
            throw new IllegalStateException("expected one JVM of Liberty server " + serverName + ", found "
                    + servers.size());
        }
        ProcessHandle server = servers.get(0);
        server.destroyForcibly();
        server.onExit().get(60, TimeUnit.SECONDS);
    }

    /** The server's own JVM: {@code java ... -jar .../ws-server.jar <name>}, not the script that started it. */
    static boolean runsServer(ProcessHandle process, String serverName) {
        ProcessHandle.Info info = process.info();
        String[] arguments = info.arguments().orElse(new String[0]);
        return info.command().map(c -> c.endsWith("/java")).orElse(false) && arguments.length >= 2
                && arguments[arguments.length - 1].equals(serverName)
                && arguments[arguments.length - 2].endsWith("/ws-server.jar");
    }
}
