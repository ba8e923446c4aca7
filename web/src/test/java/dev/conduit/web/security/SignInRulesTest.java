package dev.conduit.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignInRulesTest {

    @Test
    void safeNextWhenTheTargetIsAnotherHostOrNotAConsolePageThenTheConsoleHome() {
        assertThat(OidcSignInServlet.safeNext("https://attacker.example/console/")).isEqualTo("/console/");
        assertThat(OidcSignInServlet.safeNext("//attacker.example/console/")).isEqualTo("/console/");
        assertThat(OidcSignInServlet.safeNext("/console//attacker.example")).isEqualTo("/console/");
        assertThat(OidcSignInServlet.safeNext("/console/\\attacker.example")).isEqualTo("/console/");
        assertThat(OidcSignInServlet.safeNext("/api/connected-systems")).isEqualTo("/console/");
        assertThat(OidcSignInServlet.safeNext(null)).isEqualTo("/console/");
    }

    @Test
    void safeNextWhenTheTargetIsAConsolePageThenKept() {
        assertThat(OidcSignInServlet.safeNext("/console/systems.html?name=crm")).isEqualTo("/console/systems.html?name=crm");
    }

    @Test
    void basicWhenTheHeaderIsWellFormedThenUserAndPasswordWithColonsInThePassword() {
        String header = Base64.getEncoder().encodeToString("alice:pa:ss".getBytes(StandardCharsets.UTF_8));

        assertThat(SignInMechanism.basic(header)).hasValueSatisfying(c -> {
            assertThat(c.getCaller()).isEqualTo("alice");
            assertThat(c.getPasswordAsString()).isEqualTo("pa:ss");
        });
    }

    @Test
    void basicWhenTheHeaderIsNotBase64OrHasNoUserThenNothing() {
        assertThat(SignInMechanism.basic("not base64!")).isEmpty();
        assertThat(SignInMechanism.basic(Base64.getEncoder().encodeToString(":secret".getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
        assertThat(SignInMechanism.basic(Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
    }
}
