package dev.conduit.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.api.Secret;
import dev.conduit.api.system.Variable;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {

    private final TemplateRenderer renderer = new TemplateRenderer(Map.of(
            "tenant", Variable.plain("tenant", "acme"),
            "evil", Variable.plain("evil", "x/../y?z=1#f@h:1"),
            "nested", Variable.plain("nested", "${tenant}"),
            "key", Variable.secret("key", Secret.of("k-secret"))));

    @Test
    void renderWhenVariablesDefinedThenValuesRaw() {
        assertThat(renderer.render("extraFormParameters.a", "${tenant}-${evil}-${key}"))
                .isEqualTo("acme-x/../y?z=1#f@h:1-k-secret");
    }

    @Test
    void renderUrlWhenValueHoldsUrlSyntaxThenEncodedSoItCannotChangeTheTarget() {
        var uri = renderer.renderUrl("tokenEndpoint", "https://${evil}.example.com/t/${evil}/token");

        assertThat(uri.getRawPath()).isEqualTo("/t/x%2F..%2Fy%3Fz%3D1%23f%40h%3A1/token");
        assertThat(uri.getRawQuery()).isNull();
        assertThat(uri.getRawFragment()).isNull();
        assertThat(uri.getHost()).isNull(); // '%' is not a host character: the policy then refuses it
    }

    @Test
    void renderUrlWhenPlainValueThenHostAndPathFilled() {
        assertThat(renderer.renderUrl("tokenEndpoint", "https://${tenant}.example.com/${tenant}/token").toString())
                .isEqualTo("https://acme.example.com/acme/token");
    }

    @Test
    void renderWhenValueHoldsATemplateThenNotExpandedAgain() {
        assertThat(renderer.render("f", "${nested}")).isEqualTo("${tenant}");
    }

    @Test
    void renderWhenEscapedThenLiteral() {
        assertThat(renderer.render("f", "$${tenant}")).isEqualTo("${tenant}");
    }

    @Test
    void renderWhenVariableUnknownThenUnknownVariableNamingTheField() {
        ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                () -> renderer.render("extraHeaders.X-Tenant", "${tenantt}"));

        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_VARIABLE);
        assertThat(e.field()).contains("extraHeaders.X-Tenant");
        assertThat(e.getMessage()).contains("tenantt");
    }

    @Test
    void renderWhenDefaultValueSyntaxThenNotAFallbackButUnknownVariable() {
        ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                () -> renderer.render("f", "${missing:-fallback}"));

        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_VARIABLE);
    }

    @Test
    void renderWhenSecretVariableUnsuppliedThenInvalidConfiguration() {
        TemplateRenderer unsupplied = new TemplateRenderer(Map.of("key", new Variable("key", null, null, true)));

        ConduitException e = org.junit.jupiter.api.Assertions.assertThrows(ConduitException.class,
                () -> unsupplied.render("f", "${key}"));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    }

    @Test
    void renderUrlWhenNonAsciiValueThenUtf8PercentEncoded() {
        TemplateRenderer r = new TemplateRenderer(Map.of("t", Variable.plain("t", "wörd")));

        assertThat(r.renderUrl("tokenEndpoint", "https://idp.example.com/${t}").getRawPath()).isEqualTo("/w%C3%B6rd");
    }
}
