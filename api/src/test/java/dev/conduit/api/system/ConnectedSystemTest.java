package dev.conduit.api.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectedSystemTest {

    private static ConnectedSystem.Builder valid() {
        return ConnectedSystem.builder()
                .name("orders")
                .grantType("client_credentials")
                .tokenEndpoint("https://idp.example.com/oauth/token")
                .clientId("conduit-client.v2")
                .clientSecret(Secret.of("s3cret"))
                .scope("orders.read Orders.Write");
    }

    @Test
    void buildWhenOnlyRequiredFieldsThenDefaultsApply() {
        ConnectedSystem system = valid().build();

        assertThat(system.lifecycle().retryPolicy()).isEqualTo(new RetryPolicy(3, Duration.ofMinutes(1)));
        assertThat(system.lifecycle().tokenRejectedStatuses()).containsExactly(401, 403, 404);
        assertThat(system.tokenRequest().tokenResponseKey()).isEqualTo("access_token");
        assertThat(system.tokenRequest().bodyFormat()).isEqualTo(BodyFormat.FORM);
        assertThat(system.client().method()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(system.tokenRequest().includeScope()).isTrue();
        assertThat(system.lifecycle().defaultTokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(system.version()).isZero();
    }

    @Test
    void scopeWhenMixedCaseThenKeptCaseSensitiveAndInOrder() {
        Scope scope = valid().scope("b A a  b").build().tokenRequest().scope();

        assertThat(scope.tokens()).containsExactly("b", "A", "a");
        assertThat(scope).hasToString("b A a");
    }

    @Test
    void clientIdWhenDashesDotsAndSymbolsThenAccepted() {
        assertThat(valid().clientId("my-app.client_01 ~!$").build().client().id()).isEqualTo("my-app.client_01 ~!$");
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                arguments("name", (UnaryOperator<ConnectedSystem.Builder>) b -> b.name("")),
                arguments("name", (UnaryOperator<ConnectedSystem.Builder>) b -> b.name("x".repeat(51))),
                arguments("name", (UnaryOperator<ConnectedSystem.Builder>) b -> b.name("a/b")),
                arguments("grantType", (UnaryOperator<ConnectedSystem.Builder>) b -> b.grantType(null)),
                arguments("tokenEndpoint", (UnaryOperator<ConnectedSystem.Builder>) b -> b.tokenEndpoint(null)),
                arguments("tokenEndpoint", (UnaryOperator<ConnectedSystem.Builder>) b -> b.tokenEndpoint("/oauth/token")),
                arguments("tokenEndpoint", (UnaryOperator<ConnectedSystem.Builder>) b -> b.tokenEndpoint("ftp://idp/token")),
                arguments("tokenEndpoint", (UnaryOperator<ConnectedSystem.Builder>) b -> b.tokenEndpoint("https://u:p@idp/token")),
                arguments("authorizationEndpoint", (UnaryOperator<ConnectedSystem.Builder>) b -> b.authorizationEndpoint("not a url")),
                arguments("issuer", (UnaryOperator<ConnectedSystem.Builder>) b -> b.issuer("https://${tenant}.idp")),
                arguments("clientId", (UnaryOperator<ConnectedSystem.Builder>) b -> b.clientId("")),
                arguments("clientId", (UnaryOperator<ConnectedSystem.Builder>) b -> b.clientId("caf\u00e9")),
                arguments("clientId", (UnaryOperator<ConnectedSystem.Builder>) b -> b.clientId("a\nb")),
                arguments("tokenRejectedStatuses", (UnaryOperator<ConnectedSystem.Builder>) b -> b.tokenRejectedStatuses(Set.of(200))),
                arguments("tokenResponseKey", (UnaryOperator<ConnectedSystem.Builder>) b -> b.tokenResponseKey("a..b")),
                arguments("defaultTokenLifetime", (UnaryOperator<ConnectedSystem.Builder>) b -> b.defaultTokenLifetime(Duration.ZERO)),
                arguments("extraHeaders", (UnaryOperator<ConnectedSystem.Builder>) b -> b.extraHeader("Bad Header", "x")),
                arguments("extraFormParameters.audience", (UnaryOperator<ConnectedSystem.Builder>) b -> b.extraFormParameter("audience", "a\r\nb")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFields")
    void buildWhenFieldInvalidThenErrorNamesField(String field, UnaryOperator<ConnectedSystem.Builder> change) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.field()).contains(field);
                    assertThat(e.getMessage()).startsWith(field);
                });
    }

    @Test
    void scopeWhenTokenHasQuoteThenInvalidScope() {
        assertThatThrownBy(() -> valid().scope("read \"write\"").build())
                .isInstanceOfSatisfying(ConduitException.class, e -> assertThat(e.field()).contains("scope"));
    }

    @Test
    void retryPolicyWhenOutOfRangeThenFieldNamed() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.field()).contains("retryPolicy.maxAttempts"));
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofHours(1)))
                .isInstanceOfSatisfying(ConduitException.class,
                        e -> assertThat(e.field()).contains("retryPolicy.maxWait"));
    }

    @Test
    void clientAuthMethodWhenUnknownThenRefused() {
        assertThat(ClientAuthMethod.fromWireName("client_secret_post")).isEqualTo(ClientAuthMethod.CLIENT_SECRET_POST);
        assertThatThrownBy(() -> ClientAuthMethod.fromWireName("tls_client_auth"))
                .isInstanceOfSatisfying(ConduitException.class, e -> assertThat(e.field()).contains("clientAuthMethod"));
    }

    @Test
    void templateWhenVariableDefinedThenAccepted() {
        ConnectedSystem system = valid()
                .variable(Variable.plain("subdomain", "acme"))
                .variable(Variable.secret("apiKey", Secret.of("k-123")))
                .tokenEndpoint("https://${subdomain}.idp.example.com/token")
                .integrationBaseUrl("https://${subdomain}.api.example.com/v1")
                .extraHeader("X-Api-Key", "${apiKey}")
                .extraFormParameter("api_key", "${apiKey}")
                .extraQueryParameter("tenant", "${subdomain}")
                .build();

        assertThat(system.variables()).containsKeys("subdomain", "apiKey");
    }

    @Test
    void templateWhenSecretVariableInUrlThenRefused() {
        assertThatThrownBy(() -> valid().variable(Variable.secret("apiKey", Secret.of("k-123")))
                .extraQueryParameter("key", "${apiKey}").build())
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.field()).contains("extraQueryParameters.key");
                    assertThat(e.getMessage()).contains("header").doesNotContain("k-123");
                });
    }

    @Test
    void templateWhenVariableUnknownThenUnknownVariableNamingField() {
        assertThatThrownBy(() -> valid().variable(Variable.plain("tenant", "t1"))
                .extraFormParameter("audience", "https://${tenat}.example.com").build())
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_VARIABLE);
                    assertThat(e.field()).contains("extraFormParameters.audience");
                    assertThat(e.getMessage()).contains("${tenat}").contains("tenant");
                });
    }

    @Test
    void toStringWhenSecretsSetThenMasked() {
        ConnectedSystem system = valid().variable(Variable.secret("apiKey", Secret.of("k-123"))).build();

        assertThat(system.toString()).doesNotContain("s3cret").doesNotContain("k-123");
        assertThat(system.variables().get("apiKey").toString()).doesNotContain("k-123");
        assertThat(Secret.of("s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void credentialsDifferFromWhenSecretChangedThenTrue() {
        ConnectedSystem system = valid().build();

        assertThat(system.credentialsDifferFrom(system.toBuilder().description("new words").build())).isFalse();
        assertThat(system.credentialsDifferFrom(system.toBuilder().clientSecret(Secret.of("other")).build())).isTrue();
        assertThat(system.credentialsDifferFrom(system.toBuilder().scope("orders.read").build())).isTrue();
    }

    @Test
    void toBuilderWhenBuiltAgainThenEqualFields() {
        ConnectedSystem system = valid().extraHeader("X-A", "1").version(4).build();
        ConnectedSystem copy = system.toBuilder().build();

        assertThat(copy.credentialsDifferFrom(system)).isFalse();
        assertThat(copy.version()).isEqualTo(4);
        assertThat(copy.tokenRequest().extraHeaders()).containsEntry("X-A", "1");
    }

    static Stream<Arguments> tokenIdentityChanges() {
        return Stream.of(
                arguments("includeScope", (UnaryOperator<ConnectedSystem.Builder>) b -> b.includeScope(false)),
                arguments("integrationBaseUrl",
                        (UnaryOperator<ConnectedSystem.Builder>) b -> b.integrationBaseUrl("https://elsewhere.example.com/api")),
                arguments("revocationEndpoint",
                        (UnaryOperator<ConnectedSystem.Builder>) b -> b.revocationEndpoint("https://other.example.com/revoke")),
                arguments("introspectionEndpoint",
                        (UnaryOperator<ConnectedSystem.Builder>) b -> b.introspectionEndpoint("https://other.example.com/i")),
                arguments("tokenEndpoint",
                        (UnaryOperator<ConnectedSystem.Builder>) b -> b.tokenEndpoint("https://other.example.com/token")),
                arguments("clientAssertionKeyId", (UnaryOperator<ConnectedSystem.Builder>) b -> b.clientAssertionKeyId("k2")),
                arguments("extraFormParameters", (UnaryOperator<ConnectedSystem.Builder>) b -> b.extraFormParameter("aud", "x")),
                arguments("extraQueryParameters", (UnaryOperator<ConnectedSystem.Builder>) b -> b.extraQueryParameter("t", "x")),
                arguments("extraHeaders", (UnaryOperator<ConnectedSystem.Builder>) b -> b.extraHeader("X-T", "x")),
                arguments("variables", (UnaryOperator<ConnectedSystem.Builder>) b -> b.variable(Variable.plain("t", "x"))),
                arguments("grantType", (UnaryOperator<ConnectedSystem.Builder>) b -> b.grantType("authorization_code")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenIdentityChanges")
    void credentialsDifferFromWhenTokenIdentityFieldChangedThenTrue(String field, UnaryOperator<ConnectedSystem.Builder> change) {
        ConnectedSystem system = valid().build();

        ConnectedSystem changed = change.apply(system.toBuilder()).build();

        assertThat(system.credentialsDifferFrom(changed)).as(field).isTrue();
        assertThat(changed.tokenIdentity()).isNotEqualTo(system.tokenIdentity());
    }

    static Stream<Arguments> lifecycleChanges() {
        return Stream.of(
                arguments("retryPolicy", (UnaryOperator<ConnectedSystem.Builder>) b -> b.retryPolicy(new RetryPolicy(5, Duration.ofSeconds(9)))),
                arguments("defaultTokenLifetime", (UnaryOperator<ConnectedSystem.Builder>) b -> b.defaultTokenLifetime(Duration.ofMinutes(5))),
                arguments("refreshAhead", (UnaryOperator<ConnectedSystem.Builder>) b -> b.refreshAhead(Duration.ofSeconds(10))),
                arguments("tokenRejectedStatuses", (UnaryOperator<ConnectedSystem.Builder>) b -> b.tokenRejectedStatuses(Set.of(401))),
                arguments("description", (UnaryOperator<ConnectedSystem.Builder>) b -> b.description("other words")),
                arguments("category", (UnaryOperator<ConnectedSystem.Builder>) b -> b.category("finance")),
                arguments("version", (UnaryOperator<ConnectedSystem.Builder>) b -> b.version(7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lifecycleChanges")
    void credentialsDifferFromWhenOnlyLifecycleOrDescriptionChangedThenFalse(String field,
            UnaryOperator<ConnectedSystem.Builder> change) {
        ConnectedSystem system = valid().build();

        ConnectedSystem changed = change.apply(system.toBuilder()).build();

        assertThat(system.credentialsDifferFrom(changed)).as(field).isFalse();
        assertThat(changed).isNotEqualTo(system);
    }
}
