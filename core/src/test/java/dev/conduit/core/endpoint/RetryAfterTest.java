package dev.conduit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void parseWhenDeltaSecondsThenThatWait() {
        assertThat(RetryAfter.parse("1", CLOCK)).contains(Duration.ofSeconds(1));
        assertThat(RetryAfter.parse(" 120 ", CLOCK)).contains(Duration.ofSeconds(120));
    }

    @Test
    void parseWhenHttpDateThenWaitUntilIt() {
        assertThat(RetryAfter.parse("Sat, 01 Mar 2025 10:01:00 GMT", CLOCK)).contains(Duration.ofMinutes(1));
    }

    @Test
    void parseWhenDateInThePastThenZero() {
        assertThat(RetryAfter.parse("Sat, 01 Mar 2025 09:00:00 GMT", CLOCK)).contains(Duration.ZERO);
    }

    @Test
    void parseWhenHugeThenCapped() {
        assertThat(RetryAfter.parse("9999999999", CLOCK)).contains(RetryAfter.MAX);
    }

    @Test
    void parseWhenUnreadableThenEmpty() {
        assertThat(RetryAfter.parse("soon", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("-1", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("1.5", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse(null, CLOCK)).isEmpty();
    }
}
