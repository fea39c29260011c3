package dev.awoooi.alert;

import dev.awoooi.SuppliedClock;

import dev.awoooi.alert.Intake.Outcome;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    final Clock clock = SuppliedClock.of(() -> now);

    record Claim(String incidentId, Instant expires, String state) {
        boolean live(Instant at) {
            return !expires.isBefore(at);
        }
    }

    final Map<String, Claim> claims = new HashMap<>();
    final Map<String, Incident> incidents = new HashMap<>();
    final List<SealedAlert> queued = new ArrayList<>();
    final Map<String, String> spilled = new HashMap<>();
    boolean queueDown;
    /** Incidents a read misses once, as a read may while the transaction that opens one is committing. */
    final java.util.Set<String> notYetVisible = new java.util.HashSet<>();

    /** The ledger's semantics in memory: claims and pointers that expire, an atomic open. */
    final AlertLedger ledger = new AlertLedger() {
        public Map<String, Pointer> pointers(List<String> keys) {
            Map<String, Pointer> found = new HashMap<>();
            keys.forEach(k -> Optional.ofNullable(claims.get(k)).filter(c -> c.live(now))
                    .ifPresent(c -> found.put(k, new Pointer(c.incidentId(), c.expires()))));
            return found;
        }

        public Optional<Holder> claim(String key, String incidentId, Instant until) {
            Claim held = claims.get(key);
            if (held != null && held.live(now)) {
                return Optional.of(new Holder(held.incidentId(), held.state().equals("COMPLETED")));
            }
            claims.put(key, new Claim(incidentId, until, "INPROGRESS"));
            return Optional.empty();
        }

        public Opening open(String key, Instant claimUntil, Incident incident, List<String> groupKeys, Map<String, Pointer> replacing,
                            Instant pointersUntil) {
            Claim held = claims.get(key);
            if (held != null && held.live(now)) {
                return new Opening.Held(new Holder(held.incidentId(), held.state().equals("COMPLETED")));
            }
            for (String groupKey : groupKeys) {
                Claim pointer = claims.get(groupKey);
                Pointer stale = replacing.get(groupKey);
                if (pointer != null && pointer.live(now) && (stale == null || !stale.incidentId().equals(pointer.incidentId()))) {
                    return new Opening.GroupTaken();
                }
            }
            claims.put(key, new Claim(incident.id(), claimUntil, "INPROGRESS"));
            store.create(incident);
            groupKeys.forEach(k -> claims.put(k, new Claim(incident.id(), pointersUntil, "OPEN")));
            return new Opening.Opened();
        }

        public boolean extend(List<String> groupKeys, Map<String, Pointer> seen, String incidentId, Instant until) {
            boolean changed = false;
            for (String k : groupKeys) {
                Pointer pointer = seen.get(k);
                // Like the store: a pointer is slid only once it is a minute behind.
                if (pointer == null || pointer.incidentId().equals(incidentId) && pointer.expiresAt().plusSeconds(60).isBefore(until)) {
                    claims.put(k, new Claim(incidentId, until, "OPEN"));
                    changed = true;
                }
            }
            return changed;
        }

        public void complete(String key, String incidentId, Instant until) {
            claims.put(key, new Claim(incidentId, until, "COMPLETED"));
        }

        public void release(String key, String incidentId) {
            claims.remove(key);
        }

        public Optional<String> holder(String key) {
            return Optional.ofNullable(claims.get(key)).filter(c -> c.live(now)).map(Claim::incidentId);
        }
    };
    final IncidentStore store = new IncidentStore() {
        public void create(Incident incident) {
            incidents.put(incident.id(), incident);
        }

        public Optional<Incident> find(String id) {
            if (notYetVisible.remove(id)) {
                return Optional.empty();
            }
            return Optional.ofNullable(incidents.get(id));
        }

        public void save(Incident updated, long expectedVersion) {
            incidents.put(updated.id(), updated);
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
    final Intake intake = new Intake(ledger, store, item -> {
        if (queueDown) {
            throw new IllegalStateException("queue down");
        }
        queued.add(item);
    }, spill, sealer, a -> "{\"raw\":\"" + a.annotations() + "\"}", v -> "h(" + v.length() + ")" + v.hashCode(), clock,
            new Intake.Windows(Duration.ofDays(7), Duration.ofMinutes(15), Duration.ofHours(1)));

    List<Intake.Accepted> accept(AlertBatch batch) {
        return intake.accept(batch, now.plusSeconds(30));
    }

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
        var first = accept(firing());
        var second = accept(firing());
        assertThat(first.getFirst().outcome()).isEqualTo(Outcome.CREATED);
        assertThat(second.getFirst().id()).isEqualTo(first.getFirst().id());
        assertThat(second.getFirst().outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(incidents).hasSize(1);
        assertThat(queued).hasSize(1);
        assertThat(queued.getFirst().sealed()).doesNotContain("203.0.113.42");
    }

    @Test
    void aRepeatOfAnOpenInvestigationsFiringRemindsPeopleOncePerWindowAndIsStillADuplicate() {
        String id = accept(firing()).getFirst().id();
        incidents.put(id, incidents.get(id).moveTo(IncidentStatus.ANALYZED, now).moveTo(IncidentStatus.INVESTIGATING, now));
        assertThat(accept(firing()).getFirst().outcome()).as("a retry seconds later").isEqualTo(Outcome.DUPLICATE);
        assertThat(incidents.get(id).reminders().count()).as("no news yet: people were just told").isZero();
        now = now.plus(Duration.ofMinutes(61));
        assertThat(accept(firing()).getFirst().outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(incidents.get(id).reminders().count()).as("an hour on: Alertmanager's repeat tells people again").isEqualTo(1);
        now = now.plus(Duration.ofMinutes(30));
        accept(firing());
        assertThat(incidents.get(id).reminders().count()).as("again within the window").isEqualTo(1);
        now = now.plus(Duration.ofMinutes(31));
        accept(firing());
        assertThat(incidents.get(id).reminders().count()).isEqualTo(2);
        assertThat(queued).as("nothing is recorded twice").hasSize(1);
    }

    @Test
    void aNewFiringDoesNotJoinAnOpenInvestigationItOpensAnIncidentThatIsAnalyzed() {
        String id = accept(firing()).getFirst().id();
        incidents.put(id, incidents.get(id).moveTo(IncidentStatus.ANALYZED, now).moveTo(IncidentStatus.INVESTIGATING, now));
        now = now.plusSeconds(2);
        var other = accept(batch("{}:{alertname=\"X\"}", alert("firing", "X", "frontend", "def456", "crash looping"))).getFirst();
        assertThat(other.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(other.id()).isNotEqualTo(id);
    }

    @Test
    void aRepeatOfAFiringWhoseIncidentIsBeingHandledRemindsNobody() {
        String id = accept(firing()).getFirst().id();
        incidents.put(id, incidents.get(id).moveTo(IncidentStatus.ANALYZED, now));
        accept(firing());
        assertThat(incidents.get(id).reminders().count()).isZero();
    }

    @Test
    void alertsOfOneGroupJoinOneIncident() {
        var accepted = accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"), alert("firing", "B", "checkout", "b1", "y")));
        assertThat(accepted).extracting(Intake.Accepted::outcome).containsExactly(Outcome.CREATED, Outcome.JOINED);
        assertThat(accepted.get(1).id()).isEqualTo(accepted.get(0).id());
        assertThat(incidents).hasSize(1);
        assertThat(queued).extracting(SealedAlert::incidentId).containsOnly(accepted.getFirst().id());
    }

    @Test
    void alertsOfOneServiceJoinWithinTheWindowAndOpenANewIncidentAfterIt() {
        String first = accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"))).getFirst().id();
        now = now.plus(Duration.ofMinutes(10));
        var joined = accept(batch("g2", alert("firing", "B", "frontend", "b1", "y"))).getFirst();
        assertThat(joined.id()).isEqualTo(first);
        assertThat(joined.outcome()).isEqualTo(Outcome.JOINED);
        // The window slides from the last alert: 14 minutes after the join still joins, 16 do not.
        now = now.plus(Duration.ofMinutes(14));
        assertThat(accept(batch("g3", alert("firing", "C", "frontend", "c1", "z"))).getFirst().id()).isEqualTo(first);
        now = now.plus(Duration.ofMinutes(16));
        var later = accept(batch("g4", alert("firing", "D", "frontend", "d1", "w"))).getFirst();
        assertThat(later.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(later.id()).isNotEqualTo(first);
    }

    @Test
    void anotherServiceInAnotherGroupIsAnotherIncident() {
        String a = accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"))).getFirst().id();
        String b = accept(batch("g2", alert("firing", "B", "billing", "b1", "y"))).getFirst().id();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aClosedIncidentIsNotJoined() {
        String first = accept(firing()).getFirst().id();
        Incident incident = incidents.get(first);
        incidents.put(first, incident.moveTo(IncidentStatus.FAILED, now));
        var next = accept(batch("{}:{alertname=\"X\"}", alert("firing", "X", "frontend", "abc999", "again"))).getFirst();
        assertThat(next.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(next.id()).isNotEqualTo(first);
    }

    @Test
    void aStormJoinsWithoutRereadingForASecondAndAnIncidentEndedSinceIsLeftAfterIt() {
        String first = accept(firing()).getFirst().id();
        assertThat(accept(batch("{}:{alertname=\"X\"}", alert("firing", "X", "frontend", "abc200", "b"))).getFirst().id()).isEqualTo(first);
        incidents.put(first, incidents.get(first).moveTo(IncidentStatus.FAILED, now));
        now = now.plusMillis(500);
        assertThat(accept(batch("{}:{alertname=\"X\"}", alert("firing", "X", "frontend", "abc201", "c"))).getFirst().id())
                .as("within the second it trusts what it read, as if the alert had come half a second earlier").isEqualTo(first);
        now = now.plus(Intake.TRUST_SEEN);
        var later = accept(batch("{}:{alertname=\"X\"}", alert("firing", "X", "frontend", "abc202", "d"))).getFirst();
        assertThat(later.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(later.id()).isNotEqualTo(first);
    }

    @Test
    void aPointerAtAnIncidentNotFoundYetIsNotTakenOver() {
        String first = accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"))).getFirst().id();
        // The pointer is read, the incident it names is not (yet): it may be an opening still committing.
        notYetVisible.add(first);
        var next = accept(batch("g1", alert("firing", "B", "frontend", "b1", "y"))).getFirst();
        assertThat(next).isEqualTo(new Intake.Accepted(first, Outcome.JOINED));
        assertThat(incidents).containsOnlyKeys(first);
    }

    @Test
    void aResolutionGoesToTheIncidentItsFiringJoinedOnce() {
        var created = accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"), alert("firing", "B", "frontend", "b1", "y")));
        String id = created.getFirst().id();
        var resolved = accept(batch("g1", alert("resolved", "B", "frontend", "b1", "y")));
        assertThat(resolved.getFirst()).isEqualTo(new Intake.Accepted(id, Outcome.RESOLVED));
        assertThat(accept(batch("g1", alert("resolved", "B", "frontend", "b1", "y"))).getFirst().outcome())
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(queued).hasSize(3);
        assertThat(queued.getLast().incidentId()).isEqualTo(id);
    }

    @Test
    void aResolutionWithoutAKnownFiringCreatesNothing() {
        var accepted = accept(batch("g1", alert("resolved", "A", "frontend", "never-seen", "x"))).getFirst();
        assertThat(accepted).isEqualTo(new Intake.Accepted(null, Outcome.UNKNOWN_FIRING));
        assertThat(incidents).isEmpty();
        assertThat(queued).isEmpty();
    }

    @Test
    void anAlertTooLargeForAQueueMessageTravelsAsAClaimCheck() {
        var accepted = accept(batch("g1", alert("firing", "A", "frontend", "a1", "x".repeat(300_000)))).getFirst();
        SealedAlert item = queued.getFirst();
        assertThat(item.sealed()).isNull();
        assertThat(item.spilled()).startsWith(accepted.id() + "/");
        assertThat(spilled.get(item.spilled())).hasSizeGreaterThan(300_000);
    }

    @Test
    void aFailedEnqueueGivesTheClaimBackSoTheRetryRecordsTheAlert() {
        queueDown = true;
        assertThatThrownBy(() -> accept(firing())).hasMessageContaining("queue down");
        assertThat(claims.keySet()).noneMatch(k -> k.startsWith("alert#"));
        queueDown = false;
        var retried = accept(firing()).getFirst();
        assertThat(retried.outcome()).as("the incident the failed delivery opened is joined, not duplicated").isEqualTo(Outcome.JOINED);
        assertThat(incidents).hasSize(1).containsKey(retried.id());
        assertThat(queued).hasSize(1);
    }

    @Test
    void aDeliveryThatDiedAfterItsClaimBlocksTheRetryOnlyUntilItsDeadline() {
        Instant deadline = now.plusSeconds(30);
        // A delivery claimed the alert and was killed before sending it: no release, no completion.
        ledger.claim(firing().alerts().getFirst().dedupeKey(), "inc-of-the-dead-delivery", deadline);
        var meanwhile = accept(firing()).getFirst();
        assertThat(meanwhile.outcome()).isEqualTo(Outcome.IN_PROGRESS);
        assertThat(meanwhile.outcome().retry()).isTrue();
        assertThat(queued).isEmpty();
        now = deadline.plusSeconds(1);
        var retried = accept(firing()).getFirst();
        assertThat(retried.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(queued).hasSize(1);
        assertThat(accept(firing()).getFirst().outcome()).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void alertsLeftWhenTheDeliveryRunsOutOfTimeAreDeferredForTheRetry() {
        var accepted = intake.accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"), alert("firing", "B", "frontend", "b1", "y")),
                now.plus(Intake.RESERVE).minusMillis(1));
        assertThat(accepted).extracting(Intake.Accepted::outcome).containsExactly(Outcome.DEFERRED, Outcome.DEFERRED);
        assertThat(queued).isEmpty();
        assertThat(claims).isEmpty();
    }

    @Test
    void aGroupOpenedByAnotherDeliveryMeanwhileIsJoined() {
        String theirs = accept(batch("g1", alert("firing", "A", "frontend", "a1", "x"))).getFirst().id();
        // This delivery read the pointers before the other one opened the incident: its open loses and it joins.
        var lost = ledger.open("alert#b1", now.plusSeconds(30), Incident.received("inc-mine", "alertmanager", "b1", now, now),
                List.of(theGroupKey()), Map.of(), now.plusSeconds(900));
        assertThat(lost).isInstanceOf(AlertLedger.Opening.GroupTaken.class);
        var joined = accept(batch("g1", alert("firing", "B", "checkout", "b1", "y"))).getFirst();
        assertThat(joined).isEqualTo(new Intake.Accepted(theirs, Outcome.JOINED));
        assertThat(incidents).containsOnlyKeys(theirs);
    }

    String theGroupKey() {
        return claims.keySet().stream().filter(k -> k.startsWith("group#")).findFirst().orElseThrow();
    }
}
