package dev.awoooi.incident;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncidentStatusTest {
    private static final Instant T = Instant.parse("2026-11-21T03:15:00Z");

    @Test
    void approvedPlansCanOnlyExecuteOrBeVoided() {
        assertThat(IncidentStatus.APPROVED.next()).containsExactlyInAnyOrder(IncidentStatus.EXECUTING, IncidentStatus.VOIDED);
        assertThat(IncidentStatus.VOIDED.terminal()).isTrue();
    }

    @Test
    void illegalTransitionsAreRefusedAndLegalOnesBumpTheVersion() {
        Incident received = Incident.received("inc-x", "alertmanager", "f", T, T);
        assertThatThrownBy(() -> received.moveTo(IncidentStatus.EXECUTING, T)).isInstanceOf(IllegalTransitionException.class);
        assertThat(received.moveTo(IncidentStatus.ANALYZED, T).version()).isEqualTo(2);
    }

    @Test
    void idsAreNotUuidsAndValidate() {
        String id = IncidentIds.next(T);
        assertThat(IncidentIds.valid(id)).isTrue();
        assertThat(id).doesNotMatch(".*[0-9a-f]{8}-[0-9a-f]{4}.*");
        assertThat(IncidentIds.valid("../etc/passwd")).isFalse();
    }
}
