package dev.conduit.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ErrorCode;
import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditOutcome;
import dev.conduit.web.TestConduit;
import dev.conduit.web.authorization.PublicUrl;
import jakarta.json.JsonObject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CrossSiteRequestFilterTest {

    private static final String SELF = "http://localhost:9080";
    private static final String EVIL = "https://attacker.example";

    private final List<AuditEvent> recorded = new CopyOnWriteArrayList<>();
    private final CrossSiteRequestFilter filter = new CrossSiteRequestFilter(
            new PublicUrl(Optional.of("https://conduit.example.com")), recorded::add, Clock.systemUTC());

    @Test
    void doFilterWhenAFormIsPostedFromAnotherSiteThenCrossSiteRequestAndNothingReachesTheResource() throws Exception {
        Exchange exchange = exchange("POST", "/api/connected-systems/crm/enable", null,
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Origin", EVIL,
                        "Sec-Fetch-Site", "cross-site"));

        assertRefused(exchange, "another site");
    }

    @Test
    void doFilterWhenAFormIsPostedWithoutOriginThenCrossSiteRequest() throws Exception {
        Exchange exchange = exchange("POST", "/api/connected-systems/crm/enable", null,
                Map.of("Content-Type", "application/x-www-form-urlencoded"));

        assertRefused(exchange, "application/x-www-form-urlencoded");
    }

    @Test
    void doFilterWhenATextPlainBodyIsPostedThenCrossSiteRequest() throws Exception {
        Exchange exchange = exchange("POST", "/api/import", null, Map.of("Content-Type", "text/plain;charset=UTF-8"));

        assertRefused(exchange, "text/plain");
    }

    @Test
    void doFilterWhenAMultipartBodyIsPutThenCrossSiteRequest() throws Exception {
        Exchange exchange = exchange("PUT", "/api/connected-systems/crm", null,
                Map.of("Content-Type", "multipart/form-data; boundary=x"));

        assertRefused(exchange, "multipart/form-data");
    }

    @Test
    void doFilterWhenJsonComesFromAnotherOriginThenCrossSiteRequest() throws Exception {
        Exchange exchange = exchange("DELETE", "/api/connected-systems/crm", null,
                Map.of("Content-Type", "application/json", "Origin", EVIL));

        assertRefused(exchange, EVIL);
    }

    @Test
    void doFilterWhenASameSiteButOtherOriginPageSendsJsonThenCrossSiteRequest() throws Exception {
        Exchange exchange = exchange("POST", "/api/connected-systems", null,
                Map.of("Content-Type", "application/json", "Sec-Fetch-Site", "same-site"));

        assertRefused(exchange, "same-site");
    }

    @Test
    void doFilterWhenTheConsoleSendsJsonFromItsOwnOriginThenTheRequestProceeds() throws Exception {
        Exchange exchange = exchange("POST", "/api/connected-systems", null,
                Map.of("Content-Type", "application/json", "Origin", SELF, "Sec-Fetch-Site", "same-origin"));

        assertPassed(exchange);
    }

    @Test
    void doFilterWhenTheOriginIsThePublicUrlBehindAProxyThenTheRequestProceeds() throws Exception {
        Exchange exchange = exchange("DELETE", "/api/connected-systems/crm/authorization", null,
                Map.of("Origin", "https://conduit.example.com"));

        assertPassed(exchange);
    }

    @Test
    void doFilterWhenCurlPostsJsonOrNothingThenTheRequestProceeds() throws Exception {
        assertPassed(exchange("POST", "/api/connected-systems", null, Map.of("Content-Type", "application/json")));
        assertPassed(exchange("POST", "/api/connected-systems/crm/test", null, Map.of()));
    }

    @Test
    void doFilterWhenAnotherSitesFormStartsAnAuthorizationThenCrossSiteRequest() throws Exception {
        Exchange exchange = exchange("POST", "/api/connected-systems/crm/authorization-link", "redirect=true",
                Map.of("Content-Type", "text/plain", "Origin", EVIL, "Sec-Fetch-Site", "cross-site",
                        "Sec-Fetch-Mode", "navigate", "Sec-Fetch-User", "?1"));

        assertRefused(exchange, "another site");
    }

    @Test
    void doFilterWhenARedirectLinkIsRequestedByAScriptOfTheSameOriginThenCrossSiteRequest() throws Exception {
        Exchange exchange = exchange("POST", "/api/connected-systems/crm/authorization-link", "redirect=true",
                Map.of("Origin", SELF, "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "cors"));

        assertRefused(exchange, "navigation a person made");
    }

    @Test
    void doFilterWhenARedirectLinkIsRequestedWithoutAnyBrowserHeaderThenCrossSiteRequest() throws Exception {
        Exchange exchange = exchange("POST", "/api/connected-systems/crm/authorization-link", "redirect=true",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));

        assertRefused(exchange, "Origin or Sec-Fetch-Site");
    }

    @Test
    void doFilterWhenAPersonClicksASameOriginFormButtonForARedirectLinkThenTheRequestProceeds() throws Exception {
        Exchange exchange = exchange("POST", "/api/connected-systems/crm/authorization-link", "redirect=true",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Origin", SELF,
                        "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-User", "?1"));

        assertPassed(exchange);
    }

    @Test
    void doFilterWhenTheRequestOnlyReadsThenItProceedsFromAnywhere() throws Exception {
        assertPassed(exchange("GET", "/api/connected-systems", null, Map.of("Origin", EVIL, "Sec-Fetch-Site",
                "cross-site")));
    }

    @Test
    void doFilterWhenARequestIsRefusedThenTheAuditTrailHasItWithoutTheBody() throws Exception {
        assertRefused(exchange("POST", "/api/connected-systems/crm/enable", null,
                Map.of("Content-Type", "text/plain", "Origin", EVIL)), EVIL);

        assertThat(recorded).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.CROSS_SITE_REFUSED);
            assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE);
            assertThat(e.details()).containsEntry("request", "POST /api/connected-systems/crm/enable")
                    .containsEntry("from", "192.0.2.7");
        });
    }

    @Test
    void doFilterWhenManyRequestsAreRefusedThenTwentyRecordsAMinute() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertRefused(exchange("POST", "/console/logout", null, Map.of("Origin", EVIL)), EVIL);
        }

        assertThat(recorded).hasSize(CrossSiteRequestFilter.PER_MINUTE);
    }

    private void assertRefused(Exchange exchange, String reason) throws Exception {
        filter.doFilter(exchange.request, exchange.response, exchange.chain);
        assertThat(exchange.passed).as("reached the resource").hasValue(0);
        assertThat(exchange.status).isEqualTo(403);
        JsonObject problem = TestConduit.json(exchange.body.toString());
        assertThat(problem.getString("code")).isEqualTo(ErrorCode.CROSS_SITE_REQUEST.name());
        assertThat(problem.getString("detail")).contains(reason);
        assertThat(problem.getString("hint")).isEqualTo(ErrorCode.CROSS_SITE_REQUEST.hint());
    }

    private void assertPassed(Exchange exchange) throws Exception {
        filter.doFilter(exchange.request, exchange.response, exchange.chain);
        assertThat(exchange.passed).hasValue(1);
        assertThat(exchange.status).isZero();
    }

    private static Exchange exchange(String method, String path, String query, Map<String, String> headers) {
        return new Exchange(method, path, query, headers);
    }

    /** One request as the container hands it to the filter, and what the filter did with it. */
    private static final class Exchange {
        final AtomicInteger passed = new AtomicInteger();
        final StringWriter body = new StringWriter();
        int status;
        final HttpServletRequest request;
        final HttpServletResponse response;
        final FilterChain chain = (req, res) -> passed.incrementAndGet();

        Exchange(String method, String path, String query, Map<String, String> headers) {
            Map<String, String> named = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            named.putAll(headers);
            request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getRequestURI" -> path;
                        case "getQueryString" -> query;
                        case "getHeader" -> named.get((String) args[0]);
                        case "getRequestURL" -> new StringBuffer(SELF + path);
                        case "getRemoteAddr" -> "192.0.2.7";
                        case "getRemoteUser" -> null;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
            PrintWriter writer = new PrintWriter(body, true);
            response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "setStatus" -> status = (Integer) args[0];
                            case "setContentType", "setCharacterEncoding", "setHeader" -> { }
                            case "getWriter" -> {
                                return writer;
                            }
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
        }
    }
}
