package dev.conduit.api.system;

import dev.conduit.api.ConduitException;
import dev.conduit.api.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One external system reached with OAuth 2.0, as an administrator configured it: a name, a grant type and a few
 * immutable groups ({@link Endpoints}, {@link ClientAuthentication}, {@link TokenRequest}, {@link Lifecycle},
 * {@link Integration}) plus the variables that {@code ${variable}} templates use. Built by {@link #builder()}, which
 * validates every field and names the one at fault.
 *
 * <p>The token endpoint, the extra parameters and the integration base URL may hold {@code ${variable}} templates; a
 * template naming an unknown variable is refused here, never sent as a literal.
 */
public final class ConnectedSystem {

    public static final int MAX_NAME_LENGTH = 50;
    /** Names the REST API uses below {@code /api/connected-systems/} itself, so no system may take them. */
    public static final Set<String> RESERVED_NAMES = Set.of("schema");
    public static final Set<Integer> DEFAULT_TOKEN_REJECTED_STATUSES = Set.of(401, 403, 404);
    public static final String DEFAULT_TOKEN_RESPONSE_KEY = "access_token";
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);
    public static final Duration DEFAULT_REFRESH_AHEAD = Duration.ofSeconds(60);
    /** The longest renewal window a system may set (one hour). */
    public static final Duration MAX_RENEWAL_WINDOW = Duration.ofHours(1);
    /** The longest integration call deadline a system may set (ten minutes). */
    public static final Duration MAX_CALL_DEADLINE = Duration.ofMinutes(10);

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9_.:~-]+");
    private static final Pattern TOKEN_TYPE = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
    private static final Pattern KEY_PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private final String name;
    private final Optional<String> description;
    private final Optional<String> category;
    private final String grantType;
    private final Endpoints endpoints;
    private final ClientAuthentication client;
    private final TokenRequest tokenRequest;
    private final Lifecycle lifecycle;
    private final Integration integration;
    private final Map<String, Variable> variables;
    private final Optional<TemplateReference> template;
    private final long version;

    private ConnectedSystem(Builder b) {
        this.name = b.name;
        this.description = Optional.ofNullable(b.description);
        this.category = Optional.ofNullable(b.category);
        this.grantType = b.grantType;
        this.endpoints = new Endpoints(b.tokenEndpoint, Optional.ofNullable(b.authorizationEndpoint),
                Optional.ofNullable(b.revocationEndpoint), Optional.ofNullable(b.introspectionEndpoint),
                Optional.ofNullable(b.issuer), b.issuerParameterSupported);
        this.client = new ClientAuthentication(b.clientId, Optional.ofNullable(b.clientSecret), b.clientAuthMethod,
                Optional.ofNullable(b.clientAssertionKey), Optional.ofNullable(b.clientAssertionKeyId));
        this.tokenRequest = new TokenRequest(b.scope, b.includeScope, b.bodyFormat, b.tokenResponseKey,
                b.bearerTokenTypes, b.extraQueryParameters, b.extraFormParameters, b.extraHeaders,
                b.extraAuthorizationParameters);
        this.lifecycle = new Lifecycle(b.retryPolicy, b.defaultTokenLifetime, b.refreshAhead, b.tokenRejectedStatuses,
                Optional.ofNullable(b.renewalWindow));
        this.integration = new Integration(Optional.ofNullable(b.integrationBaseUrl), Optional.ofNullable(b.callDeadline));
        this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(b.variables));
        this.template = Optional.ofNullable(b.template);
        this.version = b.version;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this system's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder().name(name).description(description.orElse(null)).category(category.orElse(null))
                .grantType(grantType).endpoints(endpoints).client(client).tokenRequest(tokenRequest)
                .lifecycle(lifecycle).integration(integration).variables(variables).template(template.orElse(null))
                .version(version);
    }

    /** Unique, 1 to 50 characters; the identity used in URLs and token keys. */
    public String name() {
        return name;
    }

    public Optional<String> description() {
        return description;
    }

    public Optional<String> category() {
        return category;
    }

    /** The grant's type, e.g. {@code client_credentials}; a registered {@code Grant} must provide it. */
    public String grantType() {
        return grantType;
    }

    /** Where the authorization server is reached. */
    public Endpoints endpoints() {
        return endpoints;
    }

    /** The client identity and how it authenticates at the token endpoint. */
    public ClientAuthentication client() {
        return client;
    }

    /** The scope and the provider-specific shape of token requests and responses. */
    public TokenRequest tokenRequest() {
        return tokenRequest;
    }

    /** Retries, lifetimes and renewal of tokens. */
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Where integration calls go. */
    public Integration integration() {
        return integration;
    }

    /** Variables by name. */
    public Map<String, Variable> variables() {
        return variables;
    }

    /** The provider template the system was created from, if it was; informational, it decides nothing. */
    public Optional<TemplateReference> template() {
        return template;
    }

    /** The stored version, for optimistic concurrency; 0 for a system never stored. */
    public long version() {
        return version;
    }

    /** What decides which token this system is issued and where its tokens go. */
    public TokenIdentity tokenIdentity() {
        return new TokenIdentity(grantType, endpoints, client, tokenRequest, integration, variables);
    }

    /**
     * True when tokens issued under {@code other} must not be used under this configuration: their
     * {@link #tokenIdentity()} differs (endpoints, client, secret, key, scope, whether it is sent, extra parameters,
     * integration base URL, variables ...). Such an edit discards the tokens.
     */
    public boolean credentialsDifferFrom(ConnectedSystem other) {
        return !tokenIdentity().equals(other.tokenIdentity());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectedSystem other && name.equals(other.name) && version == other.version
                && description.equals(other.description) && category.equals(other.category)
                && tokenIdentity().equals(other.tokenIdentity()) && lifecycle.equals(other.lifecycle)
                && template.equals(other.template);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, tokenIdentity(), lifecycle);
    }

    @Override
    public String toString() {
        return "ConnectedSystem[" + name + ", " + grantType + ", " + endpoints.token() + ", clientId=" + client.id()
                + ", clientSecret=" + (client.secret().isEmpty() ? "none" : "******") + ", v" + version + "]";
    }

    /** Collects and validates a {@link ConnectedSystem}'s fields. */
    public static final class Builder {
        private String name;
        private String description;
        private String category;
        private String grantType;
        private String tokenEndpoint;
        private String authorizationEndpoint;
        private String revocationEndpoint;
        private String introspectionEndpoint;
        private String issuer;
        private boolean issuerParameterSupported;
        private String integrationBaseUrl;
        private String clientId;
        private Secret clientSecret;
        private ClientAuthMethod clientAuthMethod = ClientAuthMethod.CLIENT_SECRET_BASIC;
        private Secret clientAssertionKey;
        private String clientAssertionKeyId;
        private Scope scope = Scope.EMPTY;
        private boolean includeScope = true;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Set<Integer> tokenRejectedStatuses = DEFAULT_TOKEN_REJECTED_STATUSES;
        private String tokenResponseKey = DEFAULT_TOKEN_RESPONSE_KEY;
        private BodyFormat bodyFormat = BodyFormat.FORM;
        private final Map<String, Variable> variables = new LinkedHashMap<>();
        private final Map<String, String> extraQueryParameters = new LinkedHashMap<>();
        private final Map<String, String> extraFormParameters = new LinkedHashMap<>();
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();
        private final Map<String, String> extraAuthorizationParameters = new LinkedHashMap<>();
        private Set<String> bearerTokenTypes = Set.of();
        private TemplateReference template;
        private Duration defaultTokenLifetime = DEFAULT_TOKEN_LIFETIME;
        private Duration refreshAhead = DEFAULT_REFRESH_AHEAD;
        private Duration renewalWindow;
        private Duration callDeadline;
        private long version;

        private Builder() {
        }

        public Builder endpoints(Endpoints e) {
            tokenEndpoint = e.token();
            authorizationEndpoint = e.authorization().orElse(null);
            revocationEndpoint = e.revocation().orElse(null);
            introspectionEndpoint = e.introspection().orElse(null);
            issuer = e.issuer().orElse(null);
            issuerParameterSupported = e.issuerParameterSupported();
            return this;
        }

        public Builder client(ClientAuthentication c) {
            clientId = c.id();
            clientSecret = c.secret().orElse(null);
            clientAuthMethod = c.method();
            clientAssertionKey = c.assertionKey().orElse(null);
            clientAssertionKeyId = c.assertionKeyId().orElse(null);
            return this;
        }

        public Builder tokenRequest(TokenRequest t) {
            scope = t.scope();
            includeScope = t.includeScope();
            bodyFormat = t.bodyFormat();
            tokenResponseKey = t.tokenResponseKey();
            bearerTokenTypes = t.bearerTokenTypes();
            return extraQueryParameters(t.extraQueryParameters()).extraFormParameters(t.extraFormParameters())
                    .extraHeaders(t.extraHeaders()).extraAuthorizationParameters(t.extraAuthorizationParameters());
        }

        public Builder lifecycle(Lifecycle l) {
            retryPolicy = l.retryPolicy();
            defaultTokenLifetime = l.defaultTokenLifetime();
            refreshAhead = l.refreshAhead();
            tokenRejectedStatuses = l.tokenRejectedStatuses();
            renewalWindow = l.renewalWindow().orElse(null);
            return this;
        }

        public Builder integration(Integration i) {
            integrationBaseUrl = i.baseUrl().orElse(null);
            callDeadline = i.callDeadline().orElse(null);
            return this;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder description(String v) { description = blankToNull(v); return this; }
        public Builder category(String v) { category = blankToNull(v); return this; }
        public Builder grantType(String v) { grantType = v; return this; }
        public Builder tokenEndpoint(String v) { tokenEndpoint = blankToNull(v); return this; }
        public Builder authorizationEndpoint(String v) { authorizationEndpoint = blankToNull(v); return this; }
        public Builder revocationEndpoint(String v) { revocationEndpoint = blankToNull(v); return this; }
        public Builder introspectionEndpoint(String v) { introspectionEndpoint = blankToNull(v); return this; }
        public Builder issuer(String v) { issuer = blankToNull(v); return this; }
        public Builder issuerParameterSupported(boolean v) { issuerParameterSupported = v; return this; }
        public Builder integrationBaseUrl(String v) { integrationBaseUrl = blankToNull(v); return this; }
        public Builder clientId(String v) { clientId = v; return this; }
        public Builder clientSecret(Secret v) { clientSecret = v; return this; }
        public Builder clientAuthMethod(ClientAuthMethod v) { clientAuthMethod = v; return this; }
        public Builder clientAssertionKey(Secret v) { clientAssertionKey = v; return this; }
        public Builder clientAssertionKeyId(String v) { clientAssertionKeyId = blankToNull(v); return this; }
        public Builder scope(Scope v) { scope = v == null ? Scope.EMPTY : v; return this; }
        public Builder template(TemplateReference v) { template = v; return this; }
        public Builder bearerTokenTypes(Set<String> v) { bearerTokenTypes = v == null ? Set.of() : Set.copyOf(v); return this; }
        public Builder scope(String v) { scope = Scope.parse(v); return this; }
        public Builder includeScope(boolean v) { includeScope = v; return this; }
        public Builder retryPolicy(RetryPolicy v) { retryPolicy = v; return this; }

        /** Changes the retry policy's attempts alone; the policy checks the value when it is built. */
        public Builder retryMaxAttempts(int v) {
            retryPolicy = new RetryPolicy(v, (retryPolicy == null ? RetryPolicy.DEFAULT : retryPolicy).maxWait());
            return this;
        }

        /** Changes the retry policy's time budget alone. */
        public Builder retryMaxWait(Duration v) {
            retryPolicy = new RetryPolicy((retryPolicy == null ? RetryPolicy.DEFAULT : retryPolicy).maxAttempts(), v);
            return this;
        }
        public Builder tokenRejectedStatuses(Set<Integer> v) { tokenRejectedStatuses = v; return this; }
        public Builder tokenResponseKey(String v) { tokenResponseKey = v; return this; }
        public Builder bodyFormat(BodyFormat v) { bodyFormat = v; return this; }
        public Builder defaultTokenLifetime(Duration v) { defaultTokenLifetime = v; return this; }
        public Builder refreshAhead(Duration v) { refreshAhead = v; return this; }
        /** This system's renewal window; {@code null}: the server's. */
        public Builder renewalWindow(Duration v) { renewalWindow = v; return this; }
        /** This system's integration call deadline; {@code null}: the server's. */
        public Builder callDeadline(Duration v) { callDeadline = v; return this; }
        public Builder version(long v) { version = v; return this; }

        /**
         * Fills each endpoint not set yet, e.g. from the authorization server's metadata; endpoints an administrator
         * entered win.
         */
        public Builder endpointDefaults(String token, String authorization, String revocation, String introspection) {
            tokenEndpoint = tokenEndpoint != null ? tokenEndpoint : blankToNull(token);
            authorizationEndpoint = authorizationEndpoint != null ? authorizationEndpoint : blankToNull(authorization);
            revocationEndpoint = revocationEndpoint != null ? revocationEndpoint : blankToNull(revocation);
            introspectionEndpoint = introspectionEndpoint != null ? introspectionEndpoint : blankToNull(introspection);
            return this;
        }

        public Builder variable(Variable v) {
            variables.put(v.name(), v);
            return this;
        }

        public Builder variables(Map<String, Variable> v) {
            variables.clear();
            v.values().forEach(this::variable);
            return this;
        }

        public Builder extraQueryParameter(String k, String v) { extraQueryParameters.put(k, v); return this; }
        public Builder extraFormParameter(String k, String v) { extraFormParameters.put(k, v); return this; }
        public Builder extraHeader(String k, String v) { extraHeaders.put(k, v); return this; }

        public Builder extraQueryParameters(Map<String, String> v) { replace(extraQueryParameters, v); return this; }
        public Builder extraFormParameters(Map<String, String> v) { replace(extraFormParameters, v); return this; }
        public Builder extraHeaders(Map<String, String> v) { replace(extraHeaders, v); return this; }
        public Builder extraAuthorizationParameters(Map<String, String> v) {
            replace(extraAuthorizationParameters, v);
            return this;
        }

        /**
         * Validates every field and returns the immutable system.
         *
         * @throws ConduitException {@code INVALID_CONFIGURATION} (or {@code UNKNOWN_VARIABLE}) naming the field
         */
        public ConnectedSystem build() {
            validateName();
            text("description", description, 500);
            text("category", category, 100);
            if (grantType == null || !grantType.matches("[A-Za-z0-9_:.\\-]{1,200}")) {
                throw ConduitException.invalidField("grantType", "is required: e.g. client_credentials or authorization_code");
            }
            validateClientId();
            require("clientAuthMethod", clientAuthMethod);
            if (clientAuthMethod == ClientAuthMethod.PRIVATE_KEY_JWT && clientAssertionKey == null) {
                throw ConduitException.invalidField("clientAssertionKey",
                        "is required for private_key_jwt: a PKCS#8 PEM private key (RSA or EC P-256)");
            }
            if (clientAssertionKeyId != null && !clientAssertionKeyId.matches("[\\x21-\\x7E]{1,200}")) {
                throw ConduitException.invalidField("clientAssertionKeyId", "must be 1 to 200 printable characters");
            }
            require("scope", scope);
            require("retryPolicy", retryPolicy);
            require("bodyFormat", bodyFormat);
            if (tokenEndpoint == null) {
                throw ConduitException.invalidField("tokenEndpoint", "is required");
            }
            url("tokenEndpoint", tokenEndpoint, true);
            url("authorizationEndpoint", authorizationEndpoint, false);
            url("revocationEndpoint", revocationEndpoint, false);
            url("introspectionEndpoint", introspectionEndpoint, false);
            url("issuer", issuer, false);
            url("integrationBaseUrl", integrationBaseUrl, true);
            validateStatuses();
            if (tokenResponseKey == null || !KEY_PATH.matcher(tokenResponseKey).matches()) {
                throw ConduitException.invalidField("tokenResponseKey",
                        "must be a key or a dotted path such as access_token or data.token");
            }
            positive("defaultTokenLifetime", defaultTokenLifetime, Duration.ofDays(365));
            positive("refreshAhead", refreshAhead, Duration.ofHours(1));
            if (renewalWindow != null) {
                positive("renewalWindowSeconds", renewalWindow, MAX_RENEWAL_WINDOW);
            }
            if (callDeadline != null) {
                positive("callDeadlineSeconds", callDeadline, MAX_CALL_DEADLINE);
            }
            parameters("extraQueryParameters", extraQueryParameters, PARAMETER_NAME);
            parameters("extraFormParameters", extraFormParameters, PARAMETER_NAME);
            parameters("extraHeaders", extraHeaders, HEADER_NAME);
            parameters("extraAuthorizationParameters", extraAuthorizationParameters, PARAMETER_NAME);
            for (String type : bearerTokenTypes) {
                if (type == null || !TOKEN_TYPE.matcher(type).matches()) {
                    throw ConduitException.invalidField("bearerTokenTypes",
                            "'" + type + "' is not a token_type value (letters, digits, '_', '-', '.')");
                }
            }
            validateTemplates();
            return new ConnectedSystem(this);
        }

        private void validateName() {
            if (name == null || name.isBlank()) {
                throw ConduitException.invalidField("name", "is required");
            }
            if (name.length() > MAX_NAME_LENGTH) {
                throw ConduitException.invalidField("name",
                        "must be 1 to " + MAX_NAME_LENGTH + " characters, was " + name.length());
            }
            if (RESERVED_NAMES.contains(name)) {
                throw ConduitException.invalidField("name", "'" + name + "' is reserved: GET /api/connected-systems/"
                        + name + " describes the fields of every system; choose another name");
            }
            // the name appears in URL paths and token keys: keep it printable and free of path separators
            if (!name.equals(name.strip()) || !name.matches("[^/\\\\?#%\\p{Cntrl}]+")) {
                throw ConduitException.invalidField("name",
                        "must not start or end with a space, nor contain '/', '\\', '?', '#', '%' or control characters");
            }
        }

        // VSCHAR = %x20-7E (RFC 6749 Appendix A.1)
        private void validateClientId() {
            if (clientId == null || clientId.isEmpty()) {
                throw ConduitException.invalidField("clientId", "is required");
            }
            if (clientId.length() > 500) {
                throw ConduitException.invalidField("clientId", "must be at most 500 characters");
            }
            for (int i = 0; i < clientId.length(); i++) {
                char c = clientId.charAt(i);
                if (c < 0x20 || c > 0x7E) {
                    throw ConduitException.invalidField("clientId",
                            "may hold only printable ASCII (RFC 6749 VSCHAR); position " + (i + 1) + " is not");
                }
            }
        }

        private void validateStatuses() {
            if (tokenRejectedStatuses == null) {
                throw ConduitException.invalidField("tokenRejectedStatuses", "is required (default 401, 403, 404)");
            }
            for (Integer status : tokenRejectedStatuses) {
                if (status == null || status < 400 || status > 599) {
                    throw ConduitException.invalidField("tokenRejectedStatuses", "must be 4xx or 5xx statuses, was " + status);
                }
            }
        }

        private void validateTemplates() {
            check("tokenEndpoint", tokenEndpoint, true);
            check("integrationBaseUrl", integrationBaseUrl, true);
            extraQueryParameters.forEach((k, v) -> check("extraQueryParameters." + k, v, true));
            extraFormParameters.forEach((k, v) -> check("extraFormParameters." + k, v, false));
            extraHeaders.forEach((k, v) -> check("extraHeaders." + k, v, false));
            // the authorization request is a URL the user's browser, its history and the provider's logs keep
            extraAuthorizationParameters.forEach((k, v) -> check("extraAuthorizationParameters." + k, v, true));
        }

        private void check(String field, String template, boolean inUrl) {
            for (String ref : Templates.references(template)) {
                Variable variable = variables.get(ref);
                if (variable != null && variable.secret() && inUrl) {
                    // URLs end up in access logs and HTTP client traces; secrets travel in headers or bodies only
                    throw ConduitException.invalidField(field, "uses the secret variable ${" + ref
                            + "} in a URL, where access logs would keep it; send it in a header or form parameter");
                }
                if (variable == null) {
                    throw ConduitException.builder(dev.conduit.api.ErrorCode.UNKNOWN_VARIABLE,
                            field + ": refers to ${" + ref + "}, which is not a variable of this system"
                                    + (variables.isEmpty() ? "" : " (defined: " + String.join(", ", variables.keySet()) + ")"))
                            .field(field).build();
                }
            }
        }

        private static void url(String field, String value, boolean templated) {
            if (value == null) {
                return;
            }
            String sample = templated ? Templates.sample(value) : value;
            if (!templated && !Templates.references(value).isEmpty()) {
                throw ConduitException.invalidField(field, "may not hold ${...} templates");
            }
            URI uri;
            try {
                uri = new URI(sample);
            } catch (URISyntaxException e) {
                throw ConduitException.invalidField(field, "is not a valid URL: " + e.getReason());
            }
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw ConduitException.invalidField(field, "must be an absolute URL with a host, e.g. https://idp.example.com/token");
            }
            String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw ConduitException.invalidField(field, "must use https (or http on loopback), not " + scheme);
            }
            if (uri.getRawUserInfo() != null) {
                throw ConduitException.invalidField(field, "must not carry user information (user:password@)");
            }
            if (uri.getRawFragment() != null) {
                throw ConduitException.invalidField(field, "must not have a fragment (#...)");
            }
        }

        private static void parameters(String field, Map<String, String> values, Pattern names) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (e.getKey() == null || !names.matcher(e.getKey()).matches()) {
                    throw ConduitException.invalidField(field, "'" + e.getKey() + "' is not a valid name");
                }
                if (e.getValue() == null || e.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                    throw ConduitException.invalidField(field + "." + e.getKey(), "must be a value without line breaks");
                }
            }
        }

        private static void positive(String field, Duration value, Duration max) {
            if (value == null || value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
                throw ConduitException.invalidField(field, "must be positive and at most " + max + ", was " + value);
            }
        }

        private static void text(String field, String value, int max) {
            if (value != null && value.length() > max) {
                throw ConduitException.invalidField(field, "must be at most " + max + " characters");
            }
        }

        private static void require(String field, Object value) {
            if (value == null) {
                throw ConduitException.invalidField(field, "is required");
            }
        }

        private static String blankToNull(String v) {
            return v == null || v.isBlank() ? null : v.strip();
        }

        private static void replace(Map<String, String> target, Map<String, String> values) {
            target.clear();
            if (values != null) {
                target.putAll(values);
            }
        }
    }
}
