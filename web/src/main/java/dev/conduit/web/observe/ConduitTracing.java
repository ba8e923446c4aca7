package dev.conduit.web.observe;

import dev.conduit.api.ErrorCode;
import dev.conduit.core.observe.EngineObserver;
import dev.conduit.core.observe.Observation;
import dev.conduit.core.observe.TokenRequestKind;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.function.BiConsumer;

/**
 * Token requests and integration calls as OpenTelemetry client spans, children of the request being served, with
 * the W3C trace context ({@code traceparent}) sent to the resource server. Attributes name the system, grant, kind,
 * method, status and ErrorCode: never a URL (a query may hold a secret), a token, a secret or a user.
 */
public final class ConduitTracing implements EngineObserver {

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("conduit.system");
    static final AttributeKey<String> GRANT = AttributeKey.stringKey("conduit.grant_type");
    static final AttributeKey<String> KIND = AttributeKey.stringKey("conduit.token_request.kind");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("conduit.error_code");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    public ConduitTracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("dev.conduit");
    }

    @Override
    public Observation tokenRequest(String system, String grantType, TokenRequestKind kind) {
        Span span = tracer.spanBuilder("conduit token " + kind.label()).setSpanKind(SpanKind.CLIENT)
                .setAttribute(SYSTEM, system).setAttribute(GRANT, grantType).setAttribute(KIND, kind.label())
                .startSpan();
        return ending(span);
    }

    @Override
    public Observation integrationCall(String system, String method, BiConsumer<String, String> headers) {
        Span span = tracer.spanBuilder(method).setSpanKind(SpanKind.CLIENT)
                .setAttribute(SYSTEM, system).setAttribute(METHOD, method).startSpan();
        openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current().with(span), headers,
                (carrier, name, value) -> carrier.accept(name, value));
        return ending(span);
    }

    private static Observation ending(Span span) {
        return new Observation() {
            @Override
            public void succeeded(int status) {
                span.setAttribute(STATUS, (long) status);
                if (status >= 500) {
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
            }

            @Override
            public void failed(ErrorCode code) {
                span.setAttribute(ERROR_CODE, code.name());
                span.setStatus(StatusCode.ERROR, code.name());
                span.end();
            }
        };
    }
}
