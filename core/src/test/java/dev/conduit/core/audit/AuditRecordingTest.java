package dev.conduit.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.api.ConduitException;
import dev.conduit.api.ErrorCode;
import dev.conduit.core.store.InMemoryAuditTrail;
import dev.conduit.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditRecordingTest {

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T10:00:00Z");
    private final InMemoryAuditTrail trail = new InMemoryAuditTrail();

    private AuditEvent loginFailed() {
        return new AuditEvent(clock.instant(), "mallory", AuditAction.LOGIN_FAILED, null, AuditOutcome.FAILURE,
                java.util.Map.of());
    }

    @Test
    void tryRecordWhenOverTheLimitThenCountedAndTheNextWindowsFirstRecordSaysHowMany() {
        RateLimitedRecorder limited = new RateLimitedRecorder(trail, 3, Duration.ofMinutes(1), clock);

        int recorded = 0;
        for (int i = 0; i < 50; i++) {
            recorded += limited.tryRecord(loginFailed()) ? 1 : 0;
        }
        clock.advance(Duration.ofMinutes(1));
        limited.tryRecord(loginFailed());

        assertThat(recorded).isEqualTo(3);
        assertThat(trail.all()).hasSize(4);
        assertThat(trail.all().get(3).details()).containsEntry("suppressed", "47");
    }

    @Test
    void recordWhenRetentionPassedThenOlderRecordsArePurgedAtMostOncePerInterval() {
        AuditRetention retention = new AuditRetention(trail, trail, Duration.ofDays(30), Duration.ofHours(1), clock);
        retention.record(AuditEvent.success(clock.instant(), "admin", AuditAction.CREATE, "old"));

        clock.advance(Duration.ofDays(31));
        retention.record(AuditEvent.success(clock.instant(), "admin", AuditAction.CREATE, "new"));

        assertThat(trail.all()).extracting(AuditEvent::system).containsExactly("new");
    }

    @Test
    void auditEventWhenActorHoldsControlCharactersOrIsHugeThenCleanedAndShortened() {
        AuditEvent event = new AuditEvent(Instant.EPOCH, "eve\nINFO forged line" + "x".repeat(1000),
                AuditAction.LOGIN_FAILED, null, AuditOutcome.FAILURE, null);

        assertThat(event.actor()).doesNotContain("\n").hasSize(AuditEvent.MAX_DETAIL_LENGTH);
        assertThat(event.details()).isEmpty();
    }

    @Test
    void auditQueryWhenSizeOutOfRangeThenInvalidRequestNamingSize() {
        assertThatThrownBy(() -> new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, AuditQuery.MAX_SIZE + 1))
                .isInstanceOfSatisfying(ConduitException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("size");
                });
    }
}
