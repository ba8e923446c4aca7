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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
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
        this.http = settings.newHttpClient(policy);
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
        long deadline = System.nanoTime() + deadline(system).toNanos();
        URI target = target(system, encodePath(request.path()), encodeQuery(request.query()));
        return withRenewal(system, subject, true, IntegrationResponse::status, response -> { },
                (token, renewed) -> send(system, target, request, token, renewed, deadline));
    }

    /**
     * Passes {@code request} through to {@code system}'s resource server as {@code subject} and returns the answer with
     * its body still to be read, so that neither body is held whole. The call's deadline covers sending the request and
     * receiving the answer's headers; after that the body is read as long as bytes keep coming, and a pause longer than
     * the deadline ends it. A token rejection is retried once only when the request body is {@link
     * ProxyBody#replayable() replayable}; otherwise it is returned as it is.
     */
    public ProxyResponse forward(ConnectedSystem system, Subject subject, ProxyRequest request) {
        long deadline = System.nanoTime() + deadline(system).toNanos();
        URI target = target(system, request.path(), request.rawQuery());
        return withRenewal(system, subject, request.body().replayable(), ProxyResponse::status, ProxyResponse::close,
                (token, renewed) -> stream(system, target, request, token, renewed, deadline));
    }

    /** One attempt of a call with a given token. */
    @FunctionalInterface
    private interface Attempt<R> {
        R send(AccessToken token, boolean renewed);
    }

    /**
     * Sends one attempt and, when the answer has one of the system's "token rejected" statuses and the call may be
     * repeated, renews the token and sends it once more; the rejected answer is given up through {@code discard}.
     */
    private <R> R withRenewal(ConnectedSystem system, Subject subject, boolean repeatable, ToIntFunction<R> status,
            Consumer<R> discard, Attempt<R> attempt) {
        AccessToken token = tokens.accessToken(system, subject);
        R first = attempt.send(token, false);
        if (!repeatable || !system.lifecycle().tokenRejectedStatuses().contains(status.applyAsInt(first))) {
            return first;
        }
        // renew at most once per renewal window, and only if the rejected token is still current; otherwise another
        // call renewed it already. Within the window the rejection is the answer: no token request, no retry.
        if (!tokens.invalidate(system.name(), subject, token)) {
            return first;
        }
        discard.accept(first);
        observer.renewedAfterRejection(system.name());
        AccessToken renewed = tokens.accessToken(system, subject);
        return attempt.send(renewed, true);
    }

    /**
     * The URL of a call: the rendered base URL, the encoded path below it and the encoded query, checked against the
     * endpoint policy and the token's destination before any token is attached.
     */
    private URI target(ConnectedSystem system, String encodedPath, String rawQuery) {
        String base = system.integration().baseUrl().orElseThrow(() -> ConduitException.invalidField(
                "integrationBaseUrl", "connected system '" + system.name() + "' has no integration base URL"));
        URI baseUri = TemplateRenderer.of(system).renderUrl("integrationBaseUrl", base);
        String prefix = baseUri.toString().endsWith("/") ? baseUri.toString() : baseUri + "/";
        StringBuilder url = new StringBuilder(prefix).append(encodedPath);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            url.append(baseUri.getRawQuery() == null ? '?' : '&').append(rawQuery);
        }
        URI uri;
        try {
            uri = URI.create(url.toString());
        } catch (IllegalArgumentException e) {
            throw ConduitException.builder(ErrorCode.PATH_OUTSIDE_BASE_URL,
                    "path: the path and query do not make a valid URL below the integration base URL")
                    .field("path").system(system.name()).build();
        }
        policy.checkTokenDestination(system, uri);
        return uri;
    }

    private static String encodeQuery(Map<String, List<String>> query) {
        if (query.isEmpty()) {
            return null;
        }
        StringJoiner joined = new StringJoiner("&");
        query.forEach((name, values) -> values.forEach(value -> joined.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
        return joined.toString();
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
        HttpResponse<LimitedBodySubscriber.Body> response = await(system, http.sendAsync(httpRequest,
                info -> new LimitedBodySubscriber(limits.maxResponseBytes())), deadline);
        if (response.body().tooLarge()) {
            throw ConduitException.builder(ErrorCode.INTEGRATION_RESPONSE_TOO_LARGE, "the resource server of '"
                    + system.name() + "' answered HTTP " + response.statusCode() + " with more than "
                    + limits.maxResponseBytes() + " bytes; Conduit stopped reading there")
                    .system(system.name()).build();
        }
        return new IntegrationResponse(response.statusCode(), withoutHopHeaders(response.headers().map()),
                response.body().bytes(), renewed);
    }

    /** Waits for {@code pending} until {@code deadline}, turning each way it can fail into Conduit's error. */
    private <T> HttpResponse<T> await(ConnectedSystem system, CompletableFuture<HttpResponse<T>> pending,
            long deadline) {
        try {
            return pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut(system, e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw failure(system, "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConduitException refused) {
                throw refused; // the egress refused a connection the client opened again on its own (a retry)
            }
            if (e.getCause() instanceof HttpTimeoutException timeout) {
                throw timedOut(system, timeout);
            }
            throw failure(system, e.getCause() == null ? "unknown" : e.getCause().getClass().getSimpleName(),
                    e.getCause());
        }
    }

    /**
     * Sends one attempt of a passed-through request and waits, until {@code deadline}, for the answer's headers only;
     * the body is returned unread.
     */
    private ProxyResponse stream(ConnectedSystem system, URI target, ProxyRequest request, AccessToken token,
            boolean renewed, long deadline) {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
            throw timedOut(system, null);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofNanos(remainingNanos))
                .method(request.method(), request.body().publisher());
        request.headers().forEach((name, values) -> values.forEach(value -> header(builder, name, value)));
        builder.setHeader("Authorization", token.authorizationHeader());
        Observation observation = observer.integrationCall(system.name(), request.method(), builder::setHeader);
        // ofPublisher: the response is there with its headers, before its body (fromSubscriber would wait for the end)
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            // inside: sendAsync itself throws ENDPOINT_NOT_ALLOWED when the connection's address is refused
            response = await(system, http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofPublisher()),
                    deadline);
        } catch (ConduitException e) {
            observation.failed(e.code());
            throw e;
        }
        observation.succeeded(response.statusCode());
        StreamedBody body = new StreamedBody(deadline(system));
        response.body().subscribe(body);
        OptionalLong length = response.headers().firstValueAsLong("Content-Length");
        return new ProxyResponse(response.statusCode(), response.headers().map(), length, body, renewed);
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
