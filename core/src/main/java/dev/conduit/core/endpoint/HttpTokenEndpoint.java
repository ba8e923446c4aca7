package dev.conduit.core.endpoint;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.grant.TokenEndpoint;
import dev.conduit.api.system.BodyFormat;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.Scope;
import dev.conduit.api.system.Variable;
import dev.conduit.api.token.TokenSet;
import dev.conduit.core.json.StrictJson;
import dev.conduit.core.policy.EndpointPolicy;
import dev.conduit.core.redaction.BodyPreview;
import dev.conduit.core.template.TemplateRenderer;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connected system's token endpoint over {@code java.net.http}: renders the system's templates, checks the URL
 * against the {@link EndpointPolicy}, authenticates the client, sends one request (no retry, no redirect) and reads at
 * most 64 KiB of the answer within the read timeout, which {@link TokenResponseParser} interprets.
 *
 * <p>Client authentication (RFC 6749 section 2.3.1): {@code client_secret_basic} form-urlencodes the client id and the
 * secret before joining them with ':' and base64-encoding; {@code client_secret_post} puts both in the body; a system
 * without a secret is a public client and sends {@code client_id} in the body only.
 *
 * <p>The body holds the grant's parameters, then the system's extra form parameters (a grant parameter of the same
 * name wins), then the client authentication. The extra query parameters are appended to the token URL, the extra
 * headers are sent as given; {@code Content-Type}, {@code Accept} and {@code Authorization} are always Conduit's. A
 * secret variable used in a URL ends up wherever URLs are logged (the provider's access log, a proxy, the JDK client's
 * FINE trace): providers that take a key should get it in a header or the body.
 *
 * <p>Error messages name the configured host (templates unrendered) and never carry the secret, a token, the
 * {@code Authorization} header or a rendered query; a server that echoes a sent secret back gets it masked.
 */
public final class HttpTokenEndpoint implements TokenEndpoint {

    private static final Logger LOG = Logger.getLogger(HttpTokenEndpoint.class.getName());
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String INTROSPECTION = "introspectionEndpoint";
    /** Parameters whose values are credentials: masked if a server echoes them in an error. */
    private static final Set<String> SECRET_PARAMETERS = Set.of("client_secret", "refresh_token", "code",
            "code_verifier", "assertion", "client_assertion", "subject_token", "actor_token", "password", "token",
            "device_code");

    private final ConnectedSystem system;
    private final HttpClient client;
    private final EndpointPolicy policy;
    private final HttpSettings settings;
    private final TokenResponseParser parser;
    private final ClientAuthenticator authenticator;

    HttpTokenEndpoint(ConnectedSystem system, HttpClient client, EndpointPolicy policy, HttpSettings settings,
            Clock clock, ClientAuthenticator authenticator) {
        this.system = Objects.requireNonNull(system, "system");
        this.client = Objects.requireNonNull(client, "client");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.parser = TokenResponseParser.forSystem(system, clock);
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    /**
     * Sends one token request. The granted scope is the answer's {@code scope}, else the {@code scope} parameter sent.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.2">RFC 6749 section 3.2</a>
     */
    @Override
    public TokenSet requestToken(Map<String, String> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        parameters.forEach((name, value) -> {
            if (name == null || name.isEmpty() || value == null) {
                throw ConduitException.builder(ErrorCode.INVALID_REQUEST, "token request parameter '" + name
                        + "' has no value").field(name).build();
            }
        });
        TemplateRenderer renderer = TemplateRenderer.of(system);
        URI url = appendQuery(renderer.renderUrl("tokenEndpoint", system.endpoints().token()),
                renderer.renderAll("extraQueryParameters", system.tokenRequest().extraQueryParameters()));
        policy.check("tokenEndpoint", url);

        Map<String, String> body = new LinkedHashMap<>(parameters);
        renderer.renderAll("extraFormParameters", system.tokenRequest().extraFormParameters()).forEach(body::putIfAbsent);
        HttpRequest request = request(url, renderer, body);
        TokenHttpResponse response = exchange(request, "tokenEndpoint");
        return parser.interpret(response, Scope.parse(parameters.get("scope")), sentSecrets(body));
    }

    /**
     * Asks the revocation endpoint to revoke {@code token}, with client authentication. True on 200; false when the
     * system has no revocation endpoint or the server failed or refused. Throws only when the policy refuses the URL.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2.1">RFC 7009 section 2.1</a>
     */
    @Override
    public boolean revoke(Secret token, String tokenTypeHint) {
        Objects.requireNonNull(token, "token");
        if (system.endpoints().revocation().isEmpty()) {
            return false;
        }
        URI url;
        try {
            url = new URI(system.endpoints().revocation().get());
        } catch (URISyntaxException e) {
            throw ConduitException.invalidField("revocationEndpoint", "is not a valid URL");
        }
        policy.check("revocationEndpoint", url);
        try {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("token", token.reveal());
            if (tokenTypeHint != null && !tokenTypeHint.isBlank()) {
                body.put("token_type_hint", tokenTypeHint);
            }
            TokenHttpResponse response = exchange(request(url, TemplateRenderer.of(system), body),
                    "revocationEndpoint");
            if (response.status() != 200) {
                LOG.log(Level.INFO, "revocation for system {0} answered HTTP {1}",
                        new Object[] {system.name(), response.status()});
            }
            return response.status() == 200;
        } catch (ConduitException e) {
            LOG.log(Level.INFO, "revocation for system {0} failed: {1}", new Object[] {system.name(), e.code()});
            return false;
        }
    }

    /**
     * Asks the introspection endpoint whether {@code token}, an access token this system obtained, is active; the
     * request carries the client authentication of a token request.
     *
     * @throws ConduitException {@code INVALID_CONFIGURATION} when the system has no introspection endpoint, the
     *                          provider's refusal mapped as for a token request (e.g. {@code INVALID_CLIENT}),
     *                          {@code ENDPOINT_UNAVAILABLE}, or {@code INVALID_TOKEN_RESPONSE} (field
     *                          {@code introspectionEndpoint}) when the answer has no boolean {@code active}
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2.2">RFC 7662 section 2.2</a>
     */
    public boolean introspect(Secret token) {
        Objects.requireNonNull(token, "token");
        String configured = system.endpoints().introspection().orElseThrow(
                () -> ConduitException.invalidField(INTROSPECTION, "is not set, so no token can be checked"));
        TemplateRenderer renderer = TemplateRenderer.of(system);
        URI url = renderer.renderUrl(INTROSPECTION, configured);
        policy.check(INTROSPECTION, url);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("token", token.reveal());
        body.put("token_type_hint", "access_token");
        TokenHttpResponse response = exchange(request(url, renderer, body), INTROSPECTION);
        List<String> secrets = sentSecrets(body);
        if (response.status() != 200) {
            // an error answer is an OAuth error like a token endpoint's (RFC 7662 section 2.3)
            parser.interpret(response, Scope.EMPTY, secrets);
        }
        JsonValue json = TokenResponseParser.parseJson(response.bodyUnsafe());
        Optional<Boolean> active = StrictJson.bool(StrictJson.member(json, "active"));
        if (response.tooLarge() || active.isEmpty()) {
            throw ConduitException.builder(ErrorCode.INVALID_TOKEN_RESPONSE, "the introspection endpoint answered "
                    + "without a boolean 'active' (RFC 7662 section 2.2): " + BodyPreview.of(response.bodyUnsafe(),
                            json, secrets)).field(INTROSPECTION).system(system.name()).build();
        }
        return active.get();
    }

    /** How this endpoint authenticates the client: the strategy of its method, shared by every request of the client. */
    ClientAuthenticator authenticator() {
        return authenticator;
    }

    private HttpRequest request(URI url, TemplateRenderer renderer, Map<String, String> body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(settings.readTimeout());
        renderer.renderAll("extraHeaders", system.tokenRequest().extraHeaders()).forEach((name, value) -> {
            try {
                builder.header(name, value);
            } catch (IllegalArgumentException e) {
                throw ConduitException.invalidField("extraHeaders." + name,
                        "cannot be sent: a header the HTTP client manages itself, or a value it refuses");
            }
        });
        authenticator.apply(builder, body, () -> renderer.renderUrl("tokenEndpoint", system.endpoints().token()));
        byte[] encoded;
        if (system.tokenRequest().bodyFormat() == BodyFormat.JSON) {
            JsonObjectBuilder json = StrictJson.builders().createObjectBuilder();
            body.forEach(json::add);
            encoded = json.build().toString().getBytes(StandardCharsets.UTF_8);
            builder.setHeader("Content-Type", "application/json");
        } else {
            encoded = formEncode(body).getBytes(StandardCharsets.UTF_8);
            builder.setHeader("Content-Type", FORM);
        }
        return builder.setHeader("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(encoded))
                .build();
    }

    private TokenHttpResponse exchange(HttpRequest request, String field) {
        CompletableFuture<HttpResponse<LimitedBodySubscriber.Body>> pending = client.sendAsync(request,
                info -> new LimitedBodySubscriber(TokenHttpResponse.MAX_BODY_BYTES));
        try {
            // the request timeout covers the wait for the headers; this bounds the body as well
            HttpResponse<LimitedBodySubscriber.Body> response =
                    pending.get(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            LimitedBodySubscriber.Body body = response.body();
            return new TokenHttpResponse(response.statusCode(), response.headers().map(), body.bytes(),
                    body.tooLarge());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw unavailable(field, "did not answer completely within " + settings.readTimeout().toMillis() + " ms",
                    null);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw unavailable(field, "request interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConduitException refused) {
                throw refused; // the egress refused a connection the client opened again on its own (a retry)
            }
            throw unavailable(field, describe(e.getCause()), e.getCause());
        }
    }

    private String describe(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "could not connect within " + settings.connectTimeout().toMillis() + " ms";
        }
        if (cause instanceof HttpTimeoutException) {
            return "did not answer within " + settings.readTimeout().toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "refused the connection or could not be reached";
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return "failed the TLS handshake (" + cause.getClass().getSimpleName() + ")";
        }
        if (cause instanceof IOException) {
            return "closed the connection or failed to answer (" + cause.getClass().getSimpleName() + ")";
        }
        return "could not be reached (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
    }

    private ConduitException unavailable(String field, String what, Throwable cause) {
        return ConduitException.builder(ErrorCode.ENDPOINT_UNAVAILABLE,
                "the " + field.replace("Endpoint", "") + " endpoint at " + hostOf(field)
                        + " " + what).field(field).system(system.name()).cause(cause).build();
    }

    /** The configured host (templates unrendered, so no variable value shows). */
    private String hostOf(String field) {
        String configured = switch (field) {
            case "tokenEndpoint" -> system.endpoints().token();
            case INTROSPECTION -> system.endpoints().introspection().orElse("");
            default -> system.endpoints().revocation().orElse("");
        };
        int scheme = configured.indexOf("://");
        String rest = scheme < 0 ? configured : configured.substring(scheme + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return rest.substring(0, end);
    }

    private static URI appendQuery(URI url, Map<String, String> query) {
        if (query.isEmpty()) {
            return url;
        }
        String text = url.toString();
        int fragment = text.indexOf('#');
        String base = fragment < 0 ? text : text.substring(0, fragment);
        String joined = base + (url.getRawQuery() == null ? "?" : "&") + formEncode(query);
        return URI.create(joined);
    }

    static String formEncode(Map<String, String> values) {
        StringJoiner joiner = new StringJoiner("&");
        values.forEach((k, v) -> joiner.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return joiner.toString();
    }

    /** Every value this request carried that must not come back in a message. */
    private List<String> sentSecrets(Map<String, String> body) {
        List<String> secrets = new ArrayList<>();
        system.client().secret().ifPresent(s -> secrets.add(s.reveal()));
        for (Variable variable : system.variables().values()) {
            if (variable.secret() && variable.secretValue() != null) {
                secrets.add(variable.secretValue().reveal());
            }
        }
        body.forEach((name, value) -> {
            if (SECRET_PARAMETERS.contains(name)) {
                secrets.add(value);
            }
        });
        return secrets;
    }

    @Override
    public String toString() {
        return "HttpTokenEndpoint[" + system.name() + "]";
    }
}
