package dev.awoooi.alert;

import dev.awoooi.alert.Intake.Outcome;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dedupe, grouping, resolution and claim checks at the front door, over in-memory ports with real expiry. */
class IntakeTest {
    Instant now = Instant.parse("2026-11-21T03:12:05Z");
    final Clock clock = new Clock() {
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };

    record Claim(String incidentId, Instant expires) {
    }

    final Map<String, Claim> claims = new HashMap<>();
    final Map<String, Incident> incidents = new HashMap<>();
    final List<SealedAlert> queued = new ArrayList<>();
    final Map<String, String> spilled = new HashMap<>();
    boolean queueDown;

    final DedupeLedger ledger = new DedupeLedger() {
        public Optional<String> claim(String key, String incidentId, Duration ttl) {
            var held = holder(key);
            if (held.isPresent()) {
                return held;
            }
            claims.put(key, new Claim(incidentId, now.plus(ttl)));
            return Optional.empty();
        }

        public Optional<String> holder(String key) {
            return Optional.ofNullable(claims.get(key)).filter(c -> c.expires().isAfter(now)).map(Claim::incidentId);
        }

        public void release(String key, String incidentId) {
            claims.remove(key);
        }
    };
    final OpenIncidents open = new OpenIncidents() {
        public Optional<String> find(String key) {
            return ledger.holder(key);
        }

        public void remember(String key, String incidentId, Duration window) {
            claims.put(key, new Claim(incidentId, now.plus(window)));
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
            return "sealed:" + "#".repeat(plaintext.length());
        }

        public String open(String sealed, String context) {
            throw new UnsupportedOperationException();
        }
    };
    final PayloadSpill spill = new PayloadSpill() {
        public String keep(String incidentId, String sealed) {
            String ref = incidentId + "/" + spilled.size();
            spilled.put(ref, sealed);
            return ref;
        }

        public String take(String ref) {
            return spilled.get(ref);
        }
    };
    final Intake intake = new Intake(ledger, open, store, item -> {
        if (queueDown) {
            throw new IllegalStateException("queue down");
        }
        queued.add(item);
    }, spill, sealer, a -> "{\"raw\":\"" + a.annotations() + "\"}", v -> "h(" + v.length() + ")" + v.hashCode(), clock,
            new Intake.Windows(Duration.ofDays(7), Duration.ofMinutes(15)));

    static Alert alert(String status, String name, String service, String fingerprint, String description) {
        return new Alert(status, Map.of("alertname", name, "service", service), Map.of("description", description),
                Instant.parse("2026-11-21T03:12:00Z"), null, null, fingerprint, Map.of());
    }

    static AlertBatch batch(String groupKey, Alert... alerts) {
        return new AlertBatch("alertmanager", "awoooi", "firing", groupKey, 0, Map.of(), Map.of(), Map.of(), null, null, List.of(alerts));
    }

    static AlertBatch firing() {
        return batch("{}:{alertname=\"X\"}", alert("firing", "X", "frontend", "abc123", "from 203.0.113.42"));
    }

    @Test
    void theSameFiringDeliveredTwiceIsOneIncident() {
        var first = intake.accept(firing());
        var second = intake.accept(firing());
        assertThat(first.getFirst().outcome()).isEqualTo(Outcome.CREATED);
        assertThat(second.getFirst().id()).isEqualTo(first.getFirst().id());
        assertThat(second.getFirst().outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(incidents).hasSize(1);
        assertThat(queued).hasSize(1);
        assertThat(queued.getFirst().sealed()).doesNotContain("203.0.113.42");
    }

    @Test
    void alertsOfOneGroupJoinOneIncident() {
        var accepted = intake.accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"), alert("firing", "B", "checkout", "b1", "y")));
        assertThat(accepted).extracting(Intake.Accepted::outcome).containsExactly(Outcome.CREATED, Outcome.JOINED);
        assertThat(accepted.get(1).id()).isEqualTo(accepted.get(0).id());
        assertThat(incidents).hasSize(1);
        assertThat(queued).extracting(SealedAlert::incidentId).containsOnly(accepted.getFirst().id());
    }

    @Test
    void alertsOfOneServiceJoinWithinTheWindowAndOpenANewIncidentAfterIt() {
        String first = intake.accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"))).getFirst().id();
        now = now.plus(Duration.ofMinutes(10));
        var joined = intake.accept(batch("g2", alert("firing", "B", "frontend", "b1", "y"))).getFirst();
        assertThat(joined.id()).isEqualTo(first);
        assertThat(joined.outcome()).isEqualTo(Outcome.JOINED);
        // The window slides from the last alert: 14 minutes after the join still joins, 16 do not.
        now = now.plus(Duration.ofMinutes(14));
        assertThat(intake.accept(batch("g3", alert("firing", "C", "frontend", "c1", "z"))).getFirst().id()).isEqualTo(first);
        now = now.plus(Duration.ofMinutes(16));
        var later = intake.accept(batch("g4", alert("firing", "D", "frontend", "d1", "w"))).getFirst();
        assertThat(later.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(later.id()).isNotEqualTo(first);
    }

    @Test
    void anotherServiceInAnotherGroupIsAnotherIncident() {
        String a = intake.accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"))).getFirst().id();
        String b = intake.accept(batch("g2", alert("firing", "B", "billing", "b1", "y"))).getFirst().id();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aClosedIncidentIsNotJoined() {
        String first = intake.accept(firing()).getFirst().id();
        Incident incident = incidents.get(first);
        incidents.put(first, incident.moveTo(IncidentStatus.FAILED, now));
        var next = intake.accept(batch("{}:{alertname=\"X\"}", alert("firing", "X", "frontend", "abc999", "again"))).getFirst();
        assertThat(next.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(next.id()).isNotEqualTo(first);
    }

    @Test
    void aResolutionGoesToTheIncidentItsFiringJoinedOnce() {
        var created = intake.accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"), alert("firing", "B", "frontend", "b1", "y")));
        String id = created.getFirst().id();
        var resolved = intake.accept(batch("g1", alert("resolved", "B", "frontend", "b1", "y")));
        assertThat(resolved.getFirst()).isEqualTo(new Intake.Accepted(id, Outcome.RESOLVED));
        assertThat(intake.accept(batch("g1", alert("resolved", "B", "frontend", "b1", "y"))).getFirst().outcome())
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(queued).hasSize(3);
        assertThat(queued.getLast().incidentId()).isEqualTo(id);
    }

    @Test
    void aResolutionWithoutAKnownFiringCreatesNothing() {
        var accepted = intake.accept(batch("g1", alert("resolved", "A", "frontend", "never-seen", "x"))).getFirst();
        assertThat(accepted).isEqualTo(new Intake.Accepted(null, Outcome.UNKNOWN_FIRING));
        assertThat(incidents).isEmpty();
        assertThat(queued).isEmpty();
    }

    @Test
    void anAlertTooLargeForAQueueMessageTravelsAsAClaimCheck() {
        var accepted = intake.accept(batch("g1", alert("firing", "A", "frontend", "a1", "x".repeat(300_000)))).getFirst();
        SealedAlert item = queued.getFirst();
        assertThat(item.sealed()).isNull();
        assertThat(item.spilled()).startsWith(accepted.id() + "/");
        assertThat(spilled.get(item.spilled())).hasSizeGreaterThan(300_000);
    }

    @Test
    void aFailedEnqueueLeavesNothingHalfWrittenSoTheRetryWorks() {
        queueDown = true;
        assertThatThrownBy(() -> intake.accept(firing())).hasMessageContaining("queue down");
        assertThat(incidents).isEmpty();
        assertThat(claims.keySet()).noneMatch(k -> k.startsWith("alert#"));
        queueDown = false;
        assertThat(intake.accept(firing()).getFirst().outcome()).isEqualTo(Outcome.CREATED);
        assertThat(queued).hasSize(1);
    }
}
