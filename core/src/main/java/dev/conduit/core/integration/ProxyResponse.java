package dev.conduit.core.integration;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What the resource server answered to a {@link ProxyRequest}, with its body still to be read. Close it once the body
 * is read, or to give it up.
 *
 * @param status        the HTTP status
 * @param headers       the response headers as received (filter them with {@link ProxyHeaders#response})
 * @param contentLength the declared body length, if the resource server declared one
 * @param body          the body, read as it arrives; a pause longer than the call's deadline fails the read
 * @param tokenRenewed  whether Conduit fetched a new token and sent the request again after a "token rejected" status
 */
public record ProxyResponse(int status, Map<String, List<String>> headers, OptionalLong contentLength, InputStream body,
        boolean tokenRenewed) implements AutoCloseable {

    public ProxyResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(contentLength, "contentLength");
        Objects.requireNonNull(body, "body");
    }

    /** Gives up the rest of the body. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (java.io.IOException e) {
            // nothing left to release
        }
    }

    @Override
    public String toString() {
        return "ProxyResponse[" + status + "]";
    }
}
