package dev.conduit.web.restclient;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.policy.Egress;
import dev.conduit.web.json.SharedJson;
import dev.conduit.web.restclient.RestClientTokens.TokenUse;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Puts a connected system's access token on every call of a MicroProfile Rest Client (or a plain JAX-RS client), and
 * renews it once when the resource server rejects it.
 *
 * <ul>
 *   <li>The system is named by {@link ConnectedSystemName} on the invoked method or its interface (read from the
 *       request property {@value #INVOKED_METHOD}), or by the request property {@value #SYSTEM_PROPERTY}.</li>
 *   <li>The request must go under the system's integration base URL (same scheme, host, port and path prefix);
 *       any other URL is refused with {@code ENDPOINT_NOT_ALLOWED} before a token is obtained or a request sent.</li>
 *   <li>Per-app system: the application's token. Per-user system: the token of the user whose request is being
 *       served; a user who has not authorized gets {@link AuthorizationRequiredException} with a new link, and no
 *       request reaches the resource server.</li>
 *   <li>An answer with one of the system's "token rejected" statuses (default 401, 403, 404) while the token sent is
 *       still current: the token is forgotten, the same request is sent once more with a new token (or with the one
 *       another call renewed meanwhile), and its answer replaces the first. A second rejection is returned as it
 *       is. A request whose body is a stream cannot be sent twice and keeps its first answer.</li>
 *   <li>Every request connects through the endpoint policy's egress tunnel ({@link EgressRouting}), which resolves
 *       the host again when the connection opens and connects only to an address the policy allows; a request whose
 *       client is not routed there is refused with {@code INVALID_CONFIGURATION} before a token is obtained. The
 *       tunnel's refusal ({@code ENDPOINT_NOT_ALLOWED}: the name now answers an address the policy refuses) or its
 *       failure to connect ({@code ENDPOINT_UNAVAILABLE}) is thrown as that {@link ConduitException}, never taken for
 *       the resource server's rejection of the token.</li>
 *   <li>Every refusal, before the request or as its connection opens, is a {@link ConduitException} that a typed
 *       client's method throws as it is (a plain JAX-RS client wraps it in a {@code ProcessingException}).</li>
 * </ul>
 *
 * <p>Register it with {@code @RegisterProvider(ConduitAuthentication.class)}: it is the request and response filter
 * and the {@link ResponseExceptionMapper} that turns the refusal into {@link AuthorizationRequiredException}.
 */
public class ConduitAuthentication implements ClientRequestFilter, ClientResponseFilter,
        ResponseExceptionMapper<AuthorizationRequiredException> {

    /** The MicroProfile Rest Client request property holding the interface method invoked. */
    public static final String INVOKED_METHOD = "org.eclipse.microprofile.rest.client.invokedMethod";
    /** A request property naming the connected system, for plain JAX-RS clients. */
    public static final String SYSTEM_PROPERTY = "dev.conduit.connectedSystem";

    static final String USE_PROPERTY = "dev.conduit.tokenUse";
    /** The request filter's refusal, thrown by the response filter: nothing was sent. */
    static final String REFUSED_PROPERTY = "dev.conduit.refused";
    /** At most this much of an answer the egress tunnel made up is read: it is a short JSON document. */
    private static final int MAX_EGRESS_ANSWER_BYTES = 16 * 1024;
    /** The connect and read timeout of the one retry. */
    static final Duration RETRY_TIMEOUT = Duration.ofSeconds(30);
    /** Marks the answer of a refused call, made up by the request filter: no request was sent. */
    static final String REFUSED_HEADER = "Conduit-Authorization-Required";
    static final String EXPIRES_HEADER = "Conduit-Authorization-Link-Expires";
    static final String NONCE_HEADER = "Conduit-Refusal";
    /**
     * Proves that a refusal was made up here and not sent by a resource server, which could otherwise pose as one and
     * hand the user a link of its choosing: random per JVM, never sent anywhere.
     */
    private static final String NONCE = newNonce();

    private final Supplier<RestClientTokens> tokens;

    /**
     * The tokens of the application this class is deployed in, found through CDI at the first call and kept: they are
     * the application's singleton, so a CDI lookup on every later call would only add to each call's cost.
     */
    public ConduitAuthentication() {
        this(once(() -> CDI.current().select(RestClientTokens.class).get()));
    }

    ConduitAuthentication(Supplier<RestClientTokens> tokens) {
        this.tokens = tokens;
    }

    /** The egress tunnel of this application's endpoint policy, found through CDI. */
    static Egress applicationEgress() {
        return CDI.current().select(RestClientTokens.class).get().egress();
    }

    /** The egress tunnel of the tokens this filter sends, where {@link EgressRouting} routes its clients. */
    Egress egress() {
        return tokens.get().egress();
    }

    private static Supplier<RestClientTokens> once(Supplier<RestClientTokens> lookup) {
        AtomicReference<RestClientTokens> found = new AtomicReference<>();
        return () -> {
            RestClientTokens tokens = found.get();
            if (tokens == null) {
                tokens = lookup.get();
                found.compareAndSet(null, tokens);
            }
            return tokens;
        };
    }

    @Override
    public void filter(ClientRequestContext request) {
        try {
            authorize(request);
        } catch (AuthorizationRequiredException e) {
            // answered here: a MicroProfile Rest Client hands the answer to toThrowable, which rebuilds the exception
            request.abortWith(refusalResponse(e));
        } catch (ConduitException e) {
            // thrown by the response filter instead: a MicroProfile Rest Client passes a response filter's exception to
            // its caller as it is, and a request filter's wrapped in a ProcessingException
            request.setProperty(REFUSED_PROPERTY, e);
            request.abortWith(Response.status(e.code().httpStatus()).build());
        }
    }

    private void authorize(ClientRequestContext request) {
        String system = systemName(request);
        RestClientTokens engine = tokens.get();
        if (!EgressRouting.isRouted(request.getConfiguration(), engine.egress())) {
            throw ConduitException.builder(ErrorCode.INVALID_CONFIGURATION, "connected system '" + system
                    + "': this client does not connect through Conduit's egress tunnel, so the address it would "
                    + "reach cannot be checked when it connects, and no token is sent: inject it with @RestClient or "
                    + "build it with RestClientBuilder (both are routed, unless they register an HTTP engine of their "
                    + "own or mp-rest/followRedirects=true, which would take the token wherever a redirect points), or "
                    + "build a plain JAX-RS client with EgressRouting.throughEgress(ClientBuilder.newBuilder())")
                    .system(system).build();
        }
        TokenUse use = engine.use(system, request.getUri());
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, use.token().authorizationHeader());
        request.setProperty(USE_PROPERTY, use);
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        if (request.getProperty(REFUSED_PROPERTY) instanceof ConduitException refused) {
            throw refused;
        }
        String egressAnswer = response.getHeaderString(Egress.ANSWER_HEADER);
        if (egressAnswer != null && tokens.get().egress().answeredHere(egressAnswer)) {
            // the tunnel's answer, not the resource server's: no request reached it, so no token was rejected
            throw egressRefusal(request, response.getStatus(), readEgressAnswer(response.getEntityStream()));
        }
        if (!(request.getProperty(USE_PROPERTY) instanceof TokenUse use)
                || !use.rejectedStatuses().contains(response.getStatus())
                || !repeatable(request.getEntity())) {
            return;
        }
        RestClientTokens engine = tokens.get();
        if (!engine.rejected(use)) {
            return; // renewed less than a renewal window ago: the rejection is the answer
        }
        // read to the end, which frees the connection, but not closed: closing ends the whole response in RESTEasy
        InputStream rejected = response.getEntityStream();
        if (rejected != null) {
            rejected.transferTo(OutputStream.nullOutputStream());
        }
        TokenUse renewed;
        try {
            renewed = engine.use(use.system(), request.getUri());
        } catch (AuthorizationRequiredException e) {
            replace(response, refusal(e));
            return;
        }
        Answer answer = resend(request, renewed, engine.egress());
        String retryEgressAnswer = answer.headers().getFirst(Egress.ANSWER_HEADER);
        if (retryEgressAnswer != null && engine.egress().answeredHere(retryEgressAnswer)) {
            throw egressRefusal(request, answer.status(), readEgressAnswer(new ByteArrayInputStream(answer.body())));
        }
        replace(response, answer);
    }

    /**
     * The tunnel's answer as the {@link ConduitException} it stands for, with the code it names (its answers carry
     * this JVM's nonce, so the code is the tunnel's own): {@code ENDPOINT_NOT_ALLOWED} when the host resolved, as the
     * connection opened, to an address the policy refuses; {@code ENDPOINT_UNAVAILABLE} when no checked address could
     * be reached.
     */
    private static ConduitException egressRefusal(ClientRequestContext request, int status, String answer) {
        String system = request.getProperty(USE_PROPERTY) instanceof TokenUse use ? use.system() : systemName(request);
        ErrorCode code = status == 403 ? ErrorCode.ENDPOINT_NOT_ALLOWED : ErrorCode.ENDPOINT_UNAVAILABLE;
        String reason = "the egress tunnel answered " + status;
        try {
            JsonObject document = SharedJson.createReader(new StringReader(answer)).readObject();
            if (document.get("message") instanceof JsonString message) {
                reason = message.getString();
            }
            if (document.get("code") instanceof JsonString named) {
                code = ErrorCode.valueOf(named.getString());
            }
        } catch (JsonException | ClassCastException | IllegalArgumentException e) {
            // not the tunnel's JSON document as expected: the status says what happened
        }
        ConduitException.Builder refusal = ConduitException.builder(code, "connected system '" + system + "': "
                + reason + "; no request was sent").system(system);
        return (code == ErrorCode.ENDPOINT_NOT_ALLOWED ? refusal.field("integrationBaseUrl") : refusal).build();
    }

    private static String readEgressAnswer(InputStream answer) throws IOException {
        if (answer == null) {
            return "";
        }
        try (answer) {
            return new String(answer.readNBytes(MAX_EGRESS_ANSWER_BYTES), StandardCharsets.UTF_8);
        }
    }

    /** An answer read in full, so that the client that received it can be closed. */
    private record Answer(int status, MultivaluedMap<String, String> headers, byte[] body) {
    }

    /**
     * The same request once more, with the renewed token. It goes through a plain JAX-RS client of its own: a
     * MicroProfile Rest Client's underlying client sends only its interface's methods. The headers other filters added
     * to the first request are copied, so it carries them too, and so are its client's TLS settings. It connects through
     * the same egress tunnel.
     */
    private static Answer resend(ClientRequestContext request, TokenUse renewed, Egress egress) {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        request.getHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("authorization") && !lower.equals("content-length")) {
                headers.put(name, values);
            }
        });
        headers.putSingle(HttpHeaders.AUTHORIZATION, renewed.token().authorizationHeader());
        ClientBuilder builder = EgressRouting.route(ClientBuilder.newBuilder(), egress)
                .connectTimeout(RETRY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(RETRY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        withTlsOf(request.getClient(), builder);
        Client client = builder.build();
        try {
            Invocation.Builder retry = client.target(request.getUri()).request().headers(headers);
            Object entity = request.getEntity();
            try (Response answer = entity == null ? retry.method(request.getMethod())
                    : retry.method(request.getMethod(), Entity.entity(entity, request.getMediaType()))) {
                byte[] body = answer.hasEntity() ? answer.readEntity(byte[].class) : new byte[0];
                return new Answer(answer.getStatus(), new MultivaluedHashMap<>(answer.getStringHeaders()), body);
            }
        } finally {
            client.close();
        }
    }

    /**
     * The retry trusts, and authenticates with, what the first request's client did: a client built with its own
     * {@code SSLContext} (a provider's private CA, a client certificate) would otherwise fail the retry's handshake.
     */
    private static void withTlsOf(Client first, ClientBuilder retry) {
        if (first == null) {
            return;
        }
        if (first.getSslContext() != null) {
            retry.sslContext(first.getSslContext());
        }
        if (first.getHostnameVerifier() != null) {
            retry.hostnameVerifier(first.getHostnameVerifier());
        }
    }

    private static Answer refusal(AuthorizationRequiredException e) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        headers.putSingle(REFUSED_HEADER, e.connectedSystem());
        headers.putSingle(NONCE_HEADER, NONCE);
        headers.putSingle(HttpHeaders.LOCATION, e.authorizationUrl().toString());
        headers.putSingle(EXPIRES_HEADER, e.expiresAt().toString());
        return new Answer(Response.Status.FORBIDDEN.getStatusCode(), headers, new byte[0]);
    }

    private static Response refusalResponse(AuthorizationRequiredException e) {
        Response.ResponseBuilder response = Response.status(Response.Status.FORBIDDEN);
        refusal(e).headers().forEach((name, values) -> values.forEach(v -> response.header(name, v)));
        return response.build();
    }

    private static void replace(ClientResponseContext target, Answer answer) {
        target.setStatus(answer.status());
        target.getHeaders().clear();
        answer.headers().forEach((name, values) -> target.getHeaders().addAll(name, values));
        target.setEntityStream(new ByteArrayInputStream(answer.body()));
    }

    /** Streams cannot be sent twice; such a request keeps its first answer. */
    private static boolean repeatable(Object entity) {
        return !(entity instanceof InputStream) && !(entity instanceof Reader);
    }

    /** The connected system: the request property, else {@link ConnectedSystemName} on the method or its interface. */
    static String systemName(ClientRequestContext request) {
        if (request.getProperty(SYSTEM_PROPERTY) instanceof String name && !name.isBlank()) {
            return name;
        }
        if (request.getProperty(INVOKED_METHOD) instanceof Method method) {
            ConnectedSystemName named = method.getAnnotation(ConnectedSystemName.class);
            if (named == null) {
                named = method.getDeclaringClass().getAnnotation(ConnectedSystemName.class);
            }
            if (named != null) {
                return named.value();
            }
            throw ConduitException.builder(ErrorCode.INVALID_CONFIGURATION, "connectedSystem: "
                    + method.getDeclaringClass().getName() + " registers ConduitAuthentication but names no connected "
                    + "system: add @ConnectedSystemName(\"...\") to the interface").field("connectedSystem").build();
        }
        throw ConduitException.builder(ErrorCode.INVALID_CONFIGURATION, "connectedSystem: the request names no "
                + "connected system: use a Rest Client interface with @ConnectedSystemName, or set the request property "
                + SYSTEM_PROPERTY).field("connectedSystem").build();
    }

    // ---- ResponseExceptionMapper: the refusal of the request filter becomes the typed exception

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        Object nonce = headers.getFirst(NONCE_HEADER);
        return nonce != null && isOurs(nonce.toString());
    }

    @Override
    public AuthorizationRequiredException toThrowable(Response response) {
        return refusal(response);
    }

    /** The exception a refused call stands for, or {@code null} when the answer is not a refusal. */
    public static AuthorizationRequiredException refusal(Response response) {
        String system = response.getHeaderString(REFUSED_HEADER);
        String nonce = response.getHeaderString(NONCE_HEADER);
        if (system == null || nonce == null || !isOurs(nonce)) {
            return null;
        }
        return new AuthorizationRequiredException(system, URI.create(response.getHeaderString(HttpHeaders.LOCATION)),
                Instant.parse(response.getHeaderString(EXPIRES_HEADER)));
    }

    private static boolean isOurs(String nonce) {
        return MessageDigest.isEqual(nonce.getBytes(StandardCharsets.US_ASCII), NONCE.getBytes(StandardCharsets.US_ASCII));
    }

    private static String newNonce() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
