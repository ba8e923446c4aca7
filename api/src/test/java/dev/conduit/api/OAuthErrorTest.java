package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OAuthErrorTest {

    @Test
    void constructorWhenDescriptionHasCrlfAndMarkupThenStripped() {
        OAuthError error = new OAuthError("invalid_request", "bad\r\nSet-Cookie: x=1<script>alert(1)</script>", null);

        assertThat(error.errorDescription()).doesNotContain("\r").doesNotContain("\n").doesNotContain("<")
                .doesNotContain(">").startsWith("badSet-Cookie: x=1");
    }
}
