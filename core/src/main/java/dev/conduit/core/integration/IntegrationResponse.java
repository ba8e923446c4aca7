package dev.conduit.core.integration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the resource server answered.
 *
 * @param status      the HTTP status
 * @param headers     the response headers
 * @param body        the body (bounded)
 * @param tokenRenewed whether Conduit fetched a new token and retried once after a "token rejected" status
 */
public record IntegrationResponse(int status, Map<String, List<String>> headers, byte[] body, boolean tokenRenewed) {

    public IntegrationResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "IntegrationResponse[" + status + ", " + body.length + " bytes]";
    }
}
