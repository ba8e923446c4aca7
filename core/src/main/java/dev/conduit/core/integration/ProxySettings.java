package dev.conduit.core.integration;

import java.util.Objects;

/**
 * How the pass-through proxy treats a request.
 *
 * @param headers        which request headers are forwarded
 * @param replayMaxBytes the largest request body kept in memory so that the request can be sent again after a token
 *                       rejection; a larger body is streamed and sent once
 */
public record ProxySettings(ProxyHeaders headers, int replayMaxBytes) {

    /** The default allow-list; bodies up to 64 KiB are kept for a retry. */
    public static final ProxySettings DEFAULT = new ProxySettings(ProxyHeaders.DEFAULT, 64 * 1024);

    public ProxySettings {
        Objects.requireNonNull(headers, "headers");
        if (replayMaxBytes < 0) {
            throw new IllegalArgumentException("replayMaxBytes must not be negative, was " + replayMaxBytes);
        }
    }
}
