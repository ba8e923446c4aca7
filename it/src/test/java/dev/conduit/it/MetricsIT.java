package dev.conduit.it;

import static dev.conduit.it.http.Http.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.testing.TrustingTls;
import dev.conduit.it.conduit.ConduitApi;
import dev.conduit.it.conduit.ConduitDeployment;
import dev.conduit.it.conduit.TestSystems;
import dev.conduit.it.http.Http;
import dev.conduit.it.http.Http.Response;
import dev.conduit.it.keycloak.Keycloak;
import dev.conduit.it.keycloak.RealmClients;
import dev.conduit.it.observe.PrometheusText;
import dev.conduit.it.proxy.RecordingProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /metrics}: each of Conduit's metrics moves when its event happens against Keycloak, labelled by system and
 * outcome and never by user; only the reader role may read them, over https.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsIT {

    private static final String USERS = "users";
    private static RecordingProxy keycloak;

    private final ConduitApi admin = ConduitApi.admin();
    private final List<String> created = new ArrayList<>();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConduitDeployment.war();
    }

    @BeforeAll
    static void startProxy() {
        keycloak = RecordingProxy.start(Keycloak.server().baseUri());
    }

    @AfterAll
    static void stopProxy() {
        keycloak.close();
    }

    @AfterEach
    void deleteSystems() {
        created.forEach(admin::deleteSystemIfPresent);
    }

    @Test
    void metricsWhenTokensAreRequestedAndCallsMadeThenEachCounterMovesLabelledBySystemAndOutcome() throws Exception {
        PrometheusText before = scrape();
        String cc = TestSystems.uniqueName("metrics-cc");
        String wrong = TestSystems.uniqueName("metrics-bad");
        String perUser = TestSystems.uniqueName("metrics-ac");
        Map<String, String> ccAcquire = Map.of("system", cc, "grant", "client_credentials", "kind", "acquire");

        create(TestSystems.clientCredentials(cc, keycloak, RealmClients.CC_SECRET, "orders.read"));
        assertThat(admin.invokeGet(cc, USERS, Map.of()).json().get("status").asInt()).isEqualTo(200);
        String firstToken = keycloak.exchanges(e -> e.path().startsWith("/admin/realms/")).get(0).bearerToken()
                .orElseThrow();
        // a token younger than the renewal window is not renewed
        TestSystems.waitOutTheRenewalWindow();
        Response revoke = Http.send(Http.form(Keycloak.revocationEndpoint(),
                        fields("token", firstToken, "token_type_hint", "access_token"))
                .header("Authorization", Http.oauthClientBasic(RealmClients.CC_CLIENT, RealmClients.CC_SECRET)).build());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
        Response renewed = admin.invokeGet(cc, USERS, Map.of());
        assertThat(renewed.json().get("tokenRenewed").asBoolean()).as(renewed.toString()).isTrue();
        create(TestSystems.clientCredentials(wrong, keycloak, "not-the-secret", "orders.read"));
        create(TestSystems.authorizationCode(perUser, keycloak));
        assertThat(ConduitApi.alice().authorizationLink(perUser).status()).isEqualTo(200);

        PrometheusText after = scrape();

        // the save's test and the renewal after the revocation: two acquisitions, both OK
        assertThat(after.sum("conduit_token_requests_total", with(ccAcquire, "outcome", "OK"))).isEqualTo(2);
        assertThat(after.sum("conduit_token_requests_total", Map.of("system", wrong, "outcome", "INVALID_CLIENT")))
                .isEqualTo(1);
        assertThat(after.sum("conduit_token_request_duration_seconds_count", ccAcquire)).isEqualTo(2);
        assertThat(after.samples("conduit_token_request_duration_seconds_bucket", ccAcquire))
                .as("a histogram with buckets").hasSizeGreaterThan(3);
        assertThat(after.sum("conduit_token_renewals_after_rejection_total", Map.of("system", cc))).isEqualTo(1);
        // the first call and the repeated one were 2xx, the rejected one 4xx
        assertThat(after.sum("conduit_integration_calls_total", Map.of("system", cc, "status", "2xx"))).isEqualTo(2);
        assertThat(after.sum("conduit_integration_calls_total", Map.of("system", cc, "status", "4xx"))).isEqualTo(1);
        assertThat(after.sum("conduit_integration_call_duration_seconds_count", Map.of("system", cc))).isEqualTo(3);
        // the first call found the saved test's token in memory; the renewal missed
        assertThat(delta(before, after, "conduit_token_cache_hits_total", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(delta(before, after, "conduit_token_cache_misses_total", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(delta(before, after, "conduit_systems", Map.of("status", "ERROR"))).isEqualTo(1);
        assertThat(delta(before, after, "conduit_systems", Map.of("status", "OK"))).isEqualTo(2);
        assertThat(delta(before, after, "conduit_authorizations_pending", Map.of())).isEqualTo(1);
        assertThat(after.text()).as("never labelled by user").doesNotContain("alice").doesNotContain(firstToken)
                .doesNotContain(RealmClients.CC_SECRET);
    }

    @Test
    void metricsWhenNotTheReaderRoleThenRefusedAndOverPlainHttpNotServed() throws Exception {
        assertThat(https("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(https("/metrics", Http.basic("alice", System.getProperty("conduit.alice.password"))).statusCode())
                .isEqualTo(403);
        assertThat(https("/metrics", Http.basic("operator", System.getProperty("conduit.operator.password")))
                .statusCode()).isEqualTo(200);
        Response plain = Http.send(Http.request(ConduitApi.baseUrl() + "/metrics")
                .header("Authorization", Http.basic("operator", System.getProperty("conduit.operator.password")))
                .build());
        assertThat(plain.status()).as("plain http").isNotEqualTo(200);
        assertThat(plain.body()).doesNotContain("conduit_");
    }

    private void create(Map<String, Object> system) {
        created.add((String) system.get("name"));
        Response saved = admin.createSystem(system);
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(name, value);
        return all;
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static PrometheusText scrape() throws Exception {
        HttpResponse<String> metrics = https("/metrics?scope=application",
                Http.basic("operator", System.getProperty("conduit.operator.password")));
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return PrometheusText.parse(metrics.body());
    }

    /** The test server's https port, with its generated self-signed certificate trusted (this test only). */
    private static HttpResponse<String> https(String path, String authorization) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TrustingTls.anyCertificate())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(System.getProperty("conduit.https.url") + path))
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
