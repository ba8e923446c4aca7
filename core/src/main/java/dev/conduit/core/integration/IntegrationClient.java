package dev.conduit.core.integration;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.api.token.Subject;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.endpoint.HttpSettings;
import dev.conduit.core.endpoint.LimitedBodySubscriber;
import dev.conduit.core.template.TemplateRenderer;
import dev.conduit.core.lifecycle.AccessToken;
import dev.conduit.core.lifecycle.TokenService;
import dev.conduit.core.observe.EngineObserver;
import dev.conduit.core.observe.Observation;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends integration calls to a connected system's resource server with its access token injected.
 *
 * <p>When the answer has one of the system's "token rejected" statuses (default 401, 403, 404), the token is renewed
 * and the call retried exactly once: with a new token if the one used was still current, or with the token that
 * already replaced it (no token request) if another call renewed it meanwhile. A second rejection is returned as it is.
 */
public final class IntegrationClient {


    private final ConnectedSystemRepository systems;
    private final TokenService tokens;
    private final EndpointPolicy policy;
    private final HttpClient http;
    private final CallLimits limits;
    private final EngineObserver observer;

    /** A client whose calls have the {@link CallLimits#DEFAULT default limits}. */
    public IntegrationClient(ConnectedSystemRepository systems, TokenService tokens, EndpointPolicy policy,
            HttpSettings settings) {
        this(systems, tokens, policy, settings, CallLimits.DEFAULT);
    }

    public IntegrationClient(ConnectedSystemRepository systems, TokenService tokens, EndpointPolicy policy,
            HttpSettings settings, CallLimits limits) {
        this(systems, tokens, policy, settings, limits, EngineObserver.NONE);
    }

    /** With an {@code observer} that hears each call and each renewal after a rejection (metrics, traces). */
    public IntegrationClient(ConnectedSystemRepository systems, TokenService tokens, EndpointPolicy policy,
            HttpSettings settings, CallLimits limits, EngineObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.systems = Objects.requireNonNull(systems, "systems");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.http = settings.newHttpClient();
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Sends {@code request} to {@code systemName}'s resource server as {@code subject}. */
    public IntegrationResponse invoke(String systemName, Subject subject, IntegrationRequest request) {
        ConnectedSystem system = systems.get(systemName);
        return invoke(system, subject, request);
    }

    /**
     * Sends {@code request} to {@code system}'s resource server as {@code subject}, for a caller that has just read the
     * system: reading it again would cost a database query, a JSON parse and a decryption per call.
     */
    public IntegrationResponse invoke(ConnectedSystem system, Subject subject, IntegrationRequest request) {
        String systemName = system.name();
        long deadline = System.nanoTime() + deadline(system).toNanos();
        URI target = target(system, request);
        AccessToken token = tokens.accessToken(system, subject);
        IntegrationResponse first = send(system, target, request, token, false, deadline);
        if (!system.lifecycle().tokenRejectedStatuses().contains(first.status())) {
            return first;
        }
        // renew at most once per renewal window, and only if the rejected token is still current; otherwise another
        // call renewed it already. Within the window the rejection is the answer: no token request, no retry.
        if (!tokens.invalidate(systemName, subject, token)) {
            return first;
        }
        observer.renewedAfterRejection(systemName);
        AccessToken renewed = tokens.accessToken(system, subject);
        return send(system, target, request, renewed, true, deadline);
    }

    private URI target(ConnectedSystem system, IntegrationRequest request) {
        String base = system.integration().baseUrl().orElseThrow(() -> ConduitException.invalidField(
                "integrationBaseUrl", "connected system '" + system.name() + "' has no integration base URL"));
        URI baseUri = TemplateRenderer.of(system).renderUrl("integrationBaseUrl", base);
        String prefix = baseUri.toString().endsWith("/") ? baseUri.toString() : baseUri + "/";
        StringBuilder url = new StringBuilder(prefix).append(encodePath(request.path()));
        if (!request.query().isEmpty()) {
            StringJoiner query = new StringJoiner("&", baseUri.getRawQuery() == null ? "?" : "&", "");
            request.query().forEach((name, values) -> values.forEach(value -> query.add(
                    URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
            url.append(query);
        }
        URI uri = URI.create(url.toString());
        policy.checkTokenDestination(system, uri);
        return uri;
    }

    /** Encodes each path segment, keeping the slashes between them. */
    private static String encodePath(String path) {
        StringJoiner out = new StringJoiner("/");
        for (String segment : path.split("/", -1)) {
            out.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    /**
     * Sends one attempt and reads its whole answer before {@code deadline}: the request timeout bounds the wait for
     * the headers, and waiting on the body with the time left bounds the rest, so a server that sends headers and then
     * stalls, or streams for ever, is cut off at the deadline rather than holding the caller's thread.
     */
    private IntegrationResponse send(ConnectedSystem system, URI target, IntegrationRequest request, AccessToken token,
            boolean renewed, long deadline) {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
            throw timedOut(system, null);
        }
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body());
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofNanos(remainingNanos))
                .method(request.method(), body);
        request.headers().forEach((name, values) -> values.forEach(value -> header(builder, name, value)));
        builder.setHeader("Authorization", token.authorizationHeader());
        Observation observation = observer.integrationCall(system.name(), request.method(), builder::setHeader);
        try {
            IntegrationResponse response = exchange(system, builder.build(), renewed, deadline);
            observation.succeeded(response.status());
            return response;
        } catch (ConduitException e) {
            observation.failed(e.code());
            throw e;
        }
    }

    private IntegrationResponse exchange(ConnectedSystem system, HttpRequest httpRequest, boolean renewed,
            long deadline) {
        CompletableFuture<HttpResponse<LimitedBodySubscriber.Body>> pending = http.sendAsync(httpRequest,
                info -> new LimitedBodySubscriber(limits.maxResponseBytes()));
        try {
            HttpResponse<LimitedBodySubscriber.Body> response = pending.get(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            if (response.body().tooLarge()) {
                throw ConduitException.builder(ErrorCode.INTEGRATION_RESPONSE_TOO_LARGE, "the resource server of '"
                        + system.name() + "' answered HTTP " + response.statusCode() + " with more than "
                        + limits.maxResponseBytes() + " bytes; Conduit stopped reading there")
                        .system(system.name()).build();
            }
            return new IntegrationResponse(response.statusCode(), withoutHopHeaders(response.headers().map()),
                    response.body().bytes(), renewed);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut(system, e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw failure(system, "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException timeout) {
                throw timedOut(system, timeout);
            }
            throw failure(system, e.getCause() == null ? "unknown" : e.getCause().getClass().getSimpleName(),
                    e.getCause());
        }
    }

    /**
     * Adds one caller-supplied header; one the HTTP client refuses (a name or value HTTP does not allow) is the caller's
     * mistake, named without its value, which may be a credential.
     */
    private static void header(HttpRequest.Builder builder, String name, String value) {
        try {
            builder.header(name, value);
        } catch (IllegalArgumentException e) {
            throw IntegrationRequest.invalidHeader(name);
        }
    }

    /** The system's call deadline ({@code callDeadlineSeconds}), or the server's when the system sets none. */
    private Duration deadline(ConnectedSystem system) {
        return system.integration().callDeadline().orElse(limits.deadline());
    }

    private ConduitException timedOut(ConnectedSystem system, Exception cause) {
        return ConduitException.builder(ErrorCode.INTEGRATION_CALL_TIMEOUT, "the resource server of '" + system.name()
                + "' did not answer completely within the call's deadline of " + deadline(system).toMillis() + " ms")
                .system(system.name()).cause(cause).build();
    }

    private static Map<String, List<String>> withoutHopHeaders(Map<String, List<String>> headers) {
        java.util.Map<String, List<String>> kept = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.equals(":status") && !lower.equals("connection") && !lower.equals("transfer-encoding")
                    && !lower.equals("content-length") && !lower.equals("keep-alive")) {
                kept.put(name, values);
            }
        });
        return kept;
    }

    private static ConduitException failure(ConnectedSystem system, String what, Throwable cause) {
        return ConduitException.builder(ErrorCode.INTEGRATION_CALL_FAILED,
                "the resource server of '" + system.name() + "' could not be reached: " + what)
                .system(system.name()).cause(cause).build();
    }
}
