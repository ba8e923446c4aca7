package dev.conduit.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the loopback token endpoint and resource server of figure 4 in their own process until it is stopped (or
 * {@code seconds} pass), and prints their URLs and request counts.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.conduit.bench.LoopbackServers TOKEN_PORT RESOURCE_PORT
 * [SECONDS]}.
 */
public final class LoopbackServers {

    private LoopbackServers() {
    }

    public static void main(String[] args) throws InterruptedException {
        int tokenPort = Integer.parseInt(args[0]);
        int resourcePort = Integer.parseInt(args[1]);
        long seconds = args.length > 2 ? Long.parseLong(args[2]) : 1800;
        try (LoopbackTokenServer tokens = LoopbackTokenServer.start(tokenPort, Duration.ZERO, Duration.ofHours(1));
                LoopbackResourceServer resources = LoopbackResourceServer.start(resourcePort)) {
            System.out.println("token endpoint " + tokens.tokenUrl());
            System.out.println("resource server " + resources.baseUrl());
            System.out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("token requests " + tokens.requests() + ", resource requests " + resources.served()
                        + " served, " + resources.refused() + " refused");
                stopped.countDown();
            }));
            stopped.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
