package dev.conduit.web.restclient;

/**
 * {@link ConduitAuthentication} over given tokens, for a Rest Client built outside an application server (the
 * typed-client benchmark). In this package because that constructor is package-private: in the server the filter
 * finds its tokens through CDI.
 */
public final class StandaloneConduitAuthentication {

    private StandaloneConduitAuthentication() {
    }

    public static ConduitAuthentication over(RestClientTokens tokens) {
        return new ConduitAuthentication(() -> tokens);
    }
}
