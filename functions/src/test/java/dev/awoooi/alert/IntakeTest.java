package dev.awoooi.alert;

import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntakeTest {
    final Map<String, String> claims = new HashMap<>();
    final Map<String, Incident> incidents = new HashMap<>();
    boolean queueDown;
    final List<SealedAlert> queued = new java.util.ArrayList<>();

    final DedupeLedger ledger = new DedupeLedger() {
        public Optional<String> claim(String key, String incidentId, Duration ttl) {
            return Optional.ofNullable(claims.putIfAbsent(key, incidentId));
        }

        public void release(String key, String incidentId) {
            claims.remove(key, incidentId);
        }
    };
    final IncidentStore store = new IncidentStore() {
        public void create(Incident incident) {
            incidents.put(incident.id(), incident);
        }

        public Optional<Incident> find(String id) {
            return Optional.ofNullable(incidents.get(id));
        }

        public void save(Incident updated, long expectedVersion) {
            incidents.put(updated.id(), updated);
        }

        public void delete(String id) {
            incidents.remove(id);
        }
    };
    final Sealer sealer = new Sealer() {
        public String seal(String plaintext, String context) {
            return "sealed:" + plaintext.length();
        }

        public String open(String sealed, String context) {
            throw new UnsupportedOperationException();
        }
    };
    final Intake intake = new Intake(ledger, store, item -> {
        if (queueDown) {
            throw new IllegalStateException("queue down");
        }
        queued.add(item);
    }, sealer, a -> "{\"raw\":\"" + a.annotations() + "\"}",
            Clock.fixed(Instant.parse("2026-11-21T03:12:05Z"), ZoneOffset.UTC), Duration.ofHours(24));

    static AlertBatch batch() {
        var alert = new Alert("firing", Map.of("alertname", "X", "service", "frontend"), Map.of("description", "from 203.0.113.42"),
                Instant.parse("2026-11-21T03:12:00Z"), null, null, "abc123");
        return new AlertBatch("alertmanager", "awoooi", "g", 0, List.of(alert));
    }

    @Test
    void theSameFiringDeliveredTwiceIsOneIncident() {
        var first = intake.accept(batch());
        var second = intake.accept(batch());
        assertThat(second.getFirst().id()).isEqualTo(first.getFirst().id());
        assertThat(second.getFirst().duplicate()).isTrue();
        assertThat(incidents).hasSize(1);
        assertThat(queued).hasSize(1);
        assertThat(queued.getFirst().sealed()).doesNotContain("203.0.113.42");
    }

    @Test
    void aFailedEnqueueLeavesNothingHalfWrittenSoTheRetryWorks() {
        queueDown = true;
        assertThatThrownBy(() -> intake.accept(batch())).hasMessageContaining("queue down");
        assertThat(incidents).isEmpty();
        assertThat(claims).isEmpty();
        queueDown = false;
        assertThat(intake.accept(batch()).getFirst().duplicate()).isFalse();
        assertThat(queued).hasSize(1);
    }
}
