package dev.conduit.web.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.audit.AuditAction;
import dev.conduit.core.audit.AuditEvent;
import dev.conduit.core.audit.AuditOutcome;
import dev.conduit.core.audit.AuditPage;
import dev.conduit.core.audit.AuditQuery;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link JdbcAuditTrail} does on every database; subclasses supply a fresh database per test class. */
abstract class AuditTrailContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private JdbcAuditTrail trail;

    abstract DataSource database();

    @BeforeEach
    void emptyTrail() {
        trail = new JdbcAuditTrail(database());
        trail.purgeBefore(Instant.parse("2100-01-01T00:00:00Z"));
    }

    private static AuditQuery query(String system, String actor, AuditAction action, Instant from, Instant to,
            int page, int size) {
        return new AuditQuery(Optional.ofNullable(system), Optional.ofNullable(actor), Optional.ofNullable(action),
                Optional.ofNullable(from), Optional.ofNullable(to), page, size);
    }

    @Test
    void findWhenRecordedThenNewestFirstWithEveryColumnAndDetailsInOrder() {
        trail.record(new AuditEvent(T0, "admin", AuditAction.CREATE, "crm", AuditOutcome.SUCCESS,
                Map.of("tokenTest", "ok")));
        trail.record(new AuditEvent(T0.plusSeconds(60), "admin", AuditAction.UPDATE, "crm", AuditOutcome.FAILURE,
                new java.util.LinkedHashMap<>(Map.of("code", "SECRET_REQUIRED"))));

        AuditPage page = trail.find(AuditQuery.all());

        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items()).extracting(AuditEvent::action).containsExactly(AuditAction.UPDATE, AuditAction.CREATE);
        AuditEvent update = page.items().get(0);
        assertThat(update.at()).isEqualTo(T0.plusSeconds(60));
        assertThat(update.actor()).isEqualTo("admin");
        assertThat(update.system()).isEqualTo("crm");
        assertThat(update.outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertThat(update.details()).containsExactly(Map.entry("code", "SECRET_REQUIRED"));
    }

    @Test
    void findWhenFilteredBySystemActorActionAndTimeThenOnlyMatchingAndTotalCountsThem() {
        for (int i = 0; i < 10; i++) {
            trail.record(AuditEvent.success(T0.plusSeconds(i), i % 2 == 0 ? "admin" : "ops",
                    i % 3 == 0 ? AuditAction.DELETE : AuditAction.ENABLE, i < 5 ? "crm" : "erp"));
        }

        assertThat(trail.find(query("crm", null, null, null, null, 0, 50)).total()).isEqualTo(5);
        assertThat(trail.find(query(null, "ops", null, null, null, 0, 50)).total()).isEqualTo(5);
        assertThat(trail.find(query(null, null, AuditAction.DELETE, null, null, 0, 50)).items())
                .extracting(AuditEvent::at).containsExactly(T0.plusSeconds(9), T0.plusSeconds(6), T0.plusSeconds(3),
                        T0);
        AuditPage window = trail.find(query("erp", "admin", AuditAction.ENABLE, T0.plusSeconds(6), T0.plusSeconds(9),
                0, 50));
        assertThat(window.items()).extracting(AuditEvent::at).containsExactly(T0.plusSeconds(8));
        assertThat(window.total()).isEqualTo(1);
    }

    @Test
    void findWhenPagedThenPagesDoNotOverlapAndTotalIsAllMatching() {
        for (int i = 0; i < 7; i++) {
            trail.record(AuditEvent.success(T0.plusSeconds(i), "admin", AuditAction.TEST, "crm"));
        }

        AuditPage first = trail.find(query(null, null, null, null, null, 0, 3));
        AuditPage last = trail.find(query(null, null, null, null, null, 2, 3));

        assertThat(first.items()).extracting(AuditEvent::at)
                .containsExactly(T0.plusSeconds(6), T0.plusSeconds(5), T0.plusSeconds(4));
        assertThat(last.items()).extracting(AuditEvent::at).containsExactly(T0);
        assertThat(last.total()).isEqualTo(7);
        assertThat(last.page()).isEqualTo(2);
        assertThat(last.size()).isEqualTo(3);
    }

    @Test
    void purgeBeforeWhenOlderRecordsExistThenOnlyThoseAreDeleted() {
        trail.record(AuditEvent.success(T0, "admin", AuditAction.CREATE, "old"));
        trail.record(AuditEvent.success(T0.plusSeconds(3600), "admin", AuditAction.CREATE, "new"));

        long purged = trail.purgeBefore(T0.plusSeconds(1));

        assertThat(purged).isEqualTo(1);
        assertThat(trail.find(AuditQuery.all()).items()).extracting(AuditEvent::system).containsExactly("new");
    }
}
