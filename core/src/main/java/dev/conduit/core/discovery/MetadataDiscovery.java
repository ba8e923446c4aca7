package dev.conduit.core.discovery;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.json.StrictJson;
import dev.conduit.core.endpoint.LimitedBodySubscriber;
import dev.conduit.core.endpoint.TokenHttpResponse;
import dev.conduit.core.policy.EndpointPolicy;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads an authorization server's metadata from its issuer URL: RFC 8414 first
 * ({@code /.well-known/oauth-authorization-server} inserted before the issuer's path), then OpenID Connect Discovery
 * ({@code /.well-known/openid-configuration} appended). The metadata's {@code issuer} must equal the issuer asked,
 * byte for byte, or it is refused: that is what stops a mix-up between servers.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3">RFC 8414 section 3</a>
 */
public final class MetadataDiscovery {

    /**
     * A plain JSON-P reader, created once: a metadata document is read as servers have always had it read (a member
     * given twice keeps its last value), since what matters in it is checked afterwards, the issuer byte for byte.
     */

    private final EndpointPolicy policy;
    private final HttpSettings settings;
    private final HttpClient client;

    public MetadataDiscovery(EndpointPolicy policy, HttpSettings settings) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = settings.newHttpClient(policy);
    }

    /**
     * The metadata of {@code issuer}.
     *
     * @throws ConduitException {@code ISSUER_MISMATCH} when the document names another issuer,
     *                          {@code DISCOVERY_FAILED} when no document can be read, {@code ENDPOINT_NOT_ALLOWED}
     */
    public AuthorizationServerMetadata discover(String issuer) {
        URI issuerUri = parseIssuer(issuer);
        List<String> failures = new ArrayList<>();
        for (URI location : locations(issuerUri)) {
            policy.check("issuer", location);
            JsonObject document = fetch(location, failures);
            if (document != null) {
                return AuthorizationServerMetadata.parse(issuer, location, document);
            }
        }
        throw ConduitException.builder(ErrorCode.DISCOVERY_FAILED,
                "issuer: no authorization server metadata at " + String.join("; ", failures)).field("issuer").build();
    }

    /** RFC 8414 section 3.1 location, then the OpenID Connect Discovery one. */
    static List<URI> locations(URI issuer) {
        String path = issuer.getRawPath() == null ? "" : issuer.getRawPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
        return List.of(URI.create(origin + "/.well-known/oauth-authorization-server" + trimmed),
                URI.create(origin + trimmed + "/.well-known/openid-configuration"));
    }

    private static URI parseIssuer(String issuer) {
        try {
            URI uri = new URI(Objects.requireNonNull(issuer, "issuer"));
            if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw ConduitException.invalidField("issuer",
                        "must be an absolute URL without query or fragment, e.g. https://idp.example.com/realms/acme");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ConduitException.invalidField("issuer", "is not a valid URL");
        }
    }

    private JsonObject fetch(URI location, List<String> failures) {
        HttpRequest request = HttpRequest.newBuilder(location).timeout(settings.readTimeout())
                .header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<LimitedBodySubscriber.Body>> pending = client.sendAsync(request,
                info -> new LimitedBodySubscriber(TokenHttpResponse.MAX_BODY_BYTES));
        try {
            HttpResponse<LimitedBodySubscriber.Body> response =
                    pending.get(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                failures.add(location + " (HTTP " + response.statusCode() + ")");
                return null;
            }
            if (response.body().tooLarge()) {
                failures.add(location + " (larger than " + TokenHttpResponse.MAX_BODY_BYTES + " bytes)");
                return null;
            }
            // strict: a member given twice (two "token_endpoint"s) is read differently by different parsers
            JsonValue document = StrictJson.readOrNull(response.body().bytes());
            if (document == null) {
                failures.add(location + " (not JSON, or a member given twice)");
                return null;
            }
            if (!(document instanceof JsonObject object)) {
                failures.add(location + " (not a JSON object)");
                return null;
            }
            return object;
        } catch (TimeoutException e) {
            pending.cancel(true);
            failures.add(location + " (no answer within " + settings.readTimeout().toMillis() + " ms)");
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConduitException refused) {
                throw refused; // the egress refused a connection the client opened again on its own (a retry)
            }
            failures.add(location + " (" + e.getCause().getClass().getSimpleName() + ")");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.DISCOVERY_FAILED, "issuer: interrupted while reading metadata");
        }
    }
}
