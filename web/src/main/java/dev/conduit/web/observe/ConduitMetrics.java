package dev.conduit.web.observe;

import dev.conduit.api.ErrorCode;
import dev.conduit.api.system.ConnectedSystem;
import dev.conduit.api.system.ConnectedSystemRepository;
import dev.conduit.core.observe.EngineObserver;
import dev.conduit.core.observe.Observation;
import dev.conduit.core.observe.TokenRequestKind;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The engine's events as MicroProfile Metrics, served by Liberty at {@code /metrics} in the Prometheus text format.
 * Labels are the system, grant, kind, outcome ({@code OK} or the {@code ErrorCode}) and status class: never a user,
 * so the number of series stays bounded by the number of systems.
 */
public final class ConduitMetrics implements EngineObserver {

    static final String OK = "OK";

    private static final Metadata TOKEN_REQUESTS = metadata("conduit.token.requests",
            "Token endpoint requests by system, grant, kind (acquire, refresh) and outcome (OK or the ErrorCode)",
            MetricUnits.NONE);
    private static final Metadata TOKEN_REQUEST_DURATION = metadata("conduit.token.request.duration",
            "Token endpoint request latency by system, grant and kind", MetricUnits.SECONDS);
    private static final Metadata RENEWALS = metadata("conduit.token.renewals.after.rejection",
            "Integration calls repeated with a renewed token after the resource server rejected the token",
            MetricUnits.NONE);
    private static final Metadata CALLS = metadata("conduit.integration.calls",
            "Integration calls by system and status class (2xx ... 5xx, or failed when no answer was accepted)",
            MetricUnits.NONE);
    private static final Metadata CALL_DURATION = metadata("conduit.integration.call.duration",
            "Integration call latency by system and status class", MetricUnits.SECONDS);

    private final MetricRegistry registry;
    // held, not looked up: a cache hit is one increment, without a map lookup, lock or allocation
    private final Counter cacheHits;
    private final Counter cacheMisses;

    /**
     * Registers the counters and the gauges of systems by status and of pending authorizations, which are read from
     * {@code systems} and {@code pendingAuthorizations} at each scrape.
     */
    public ConduitMetrics(MetricRegistry registry, ConnectedSystemRepository systems,
            LongSupplier pendingAuthorizations) {
        this.registry = registry;
        this.cacheHits = registry.counter(metadata("conduit.token.cache.hits",
                "Tokens served from memory without any I/O", MetricUnits.NONE));
        this.cacheMisses = registry.counter(metadata("conduit.token.cache.misses",
                "Token lookups that missed memory or found the token due for refresh", MetricUnits.NONE));
        Metadata byStatus = metadata("conduit.systems", "Connected systems by status (OK, or ERROR when disabled)",
                MetricUnits.NONE);
        for (String status : new String[] {"OK", "ERROR"}) {
            registry.gauge(byStatus, () -> countSystems(systems, status), new Tag("status", status));
        }
        registry.gauge(metadata("conduit.authorizations.pending",
                "Authorization links handed out and neither completed nor expired", MetricUnits.NONE),
                pendingAuthorizations::getAsLong);
    }

    @Override
    public void cacheHit() {
        cacheHits.inc();
    }

    @Override
    public void cacheMiss() {
        cacheMisses.inc();
    }

    @Override
    public Observation tokenRequest(String system, String grantType, TokenRequestKind kind) {
        long started = System.nanoTime();
        Tag[] tags = {new Tag("system", system), new Tag("grant", grantType), new Tag("kind", kind.label())};
        return ended(outcome -> {
            registry.counter(TOKEN_REQUESTS, append(tags, new Tag("outcome", outcome))).inc();
            registry.timer(TOKEN_REQUEST_DURATION, tags).update(Duration.ofNanos(System.nanoTime() - started));
        }, (status, code) -> code == null ? OK : code.name());
    }

    @Override
    public Observation integrationCall(String system, String method, BiConsumer<String, String> headers) {
        long started = System.nanoTime();
        Tag systemTag = new Tag("system", system);
        return ended(statusClass -> {
            Tag[] tags = {systemTag, new Tag("status", statusClass)};
            registry.counter(CALLS, tags).inc();
            registry.timer(CALL_DURATION, tags).update(Duration.ofNanos(System.nanoTime() - started));
        }, (status, code) -> code == null ? (status / 100) + "xx" : "failed");
    }

    @Override
    public void renewedAfterRejection(String system) {
        registry.counter(RENEWALS, new Tag("system", system)).inc();
    }

    /** An observation that records once, with the label its outcome maps to. */
    private static Observation ended(java.util.function.Consumer<String> record, OutcomeLabel label) {
        return new Observation() {
            @Override
            public void succeeded(int status) {
                record.accept(label.of(status, null));
            }

            @Override
            public void failed(ErrorCode code) {
                record.accept(label.of(0, code));
            }
        };
    }

    private interface OutcomeLabel {
        String of(int status, ErrorCode failure);
    }

    private static long countSystems(ConnectedSystemRepository systems, String status) {
        long count = 0;
        for (ConnectedSystem system : systems.findAll()) {
            if (systems.status(system.name()).isOk() == OK.equals(status)) {
                count++;
            }
        }
        return count;
    }

    private static Tag[] append(Tag[] tags, Tag tag) {
        Tag[] all = java.util.Arrays.copyOf(tags, tags.length + 1);
        all[tags.length] = tag;
        return all;
    }

    private static Metadata metadata(String name, String description, String unit) {
        return Metadata.builder().withName(name).withDescription(description).withUnit(unit).build();
    }
}
