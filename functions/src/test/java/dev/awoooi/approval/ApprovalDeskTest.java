package dev.awoooi.approval;

import dev.awoooi.action.RiskLevel;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.incident.StaleIncidentException;
import dev.awoooi.incident.Transition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Decisions that race: another signer or an alert saving the incident between this signer's read and write. */
class ApprovalDeskTest {
    static final Instant NOW = Instant.parse("2026-11-21T03:20:00Z");
    static final byte[] SECRET = "link-secret-for-tests-0123456789".getBytes();

    final List<Approver> approvers = List.of(new Approver("ana", Role.SRE), new Approver("bo", Role.DEVOPS), new Approver("cy", Role.ADMIN));
    final ApprovalRequest request = new ApprovalRequest(RiskLevel.HIGH, SignatureRequirement.forRisk(RiskLevel.HIGH), approvers,
            "plan-1", NOW, NOW.plus(Duration.ofHours(4)));
    final ApprovalLinks links = new ApprovalLinks(SECRET, "https://awoooi.example");
    final List<DomainEvent> events = new ArrayList<>();
    final List<String> audited = new ArrayList<>();
    /** Runs once, just before this signer's first write: what another writer saves meanwhile. */
    Runnable meanwhile = () -> { };
    final Map<String, Incident> items = new HashMap<>();
    final IncidentStore store = new IncidentStore() {
        public void create(Incident incident) {
            items.put(incident.id(), incident);
        }

        public Optional<Incident> find(String id) {
            return Optional.ofNullable(items.get(id));
        }

        public void save(Incident updated, long expectedVersion) {
            Runnable other = meanwhile;
            meanwhile = () -> { };
            other.run();
            if (items.get(updated.id()).version() != expectedVersion) {
                throw new StaleIncidentException(updated.id(), expectedVersion);
            }
            new Transition(items.get(updated.id()).status(), updated).event().ifPresent(events::add);
            items.put(updated.id(), updated);
        }
    };
    final ApprovalDesk desk = new ApprovalDesk(store, (subject, what, detail) -> audited.add(what), links, approvers,
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(4));

    ApprovalDeskTest() {
        store.create(Incident.received("inc-1", "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW)
                .moveTo(IncidentStatus.AWAITING_APPROVAL, NOW).withApproval(request));
    }

    ApprovalDesk.Verdict sign(String who) {
        return desk.decide("inc-1", who, links.token("inc-1", who, "plan-1"), Decision.APPROVE);
    }

    @Test
    void aSignerWhoseWriteLosesToAnotherSignerStillCountsAndTheQuorumIsCalledOnce() {
        // bo signs between ana's read and ana's write: ana's write is re-applied to bo's, and completes the quorum.
        meanwhile = () -> assertThat(sign("bo")).isInstanceOf(ApprovalDesk.Verdict.Recorded.class);
        var verdict = sign("ana");
        assertThat(verdict).isInstanceOf(ApprovalDesk.Verdict.Recorded.class);
        assertThat(((ApprovalDesk.Verdict.Recorded) verdict).outcome()).isEqualTo(ApprovalRequest.Outcome.GRANTED);
        Incident stored = items.get("inc-1");
        assertThat(stored.status()).isEqualTo(IncidentStatus.APPROVED);
        assertThat(stored.signatures()).extracting(Signature::approver).containsExactlyInAnyOrder("ana", "bo");
        assertThat(events).hasSize(1).first().isInstanceOf(DomainEvent.ApprovalGranted.class);
        assertThat(audited).containsExactly("signature", "signature");
    }

    @Test
    void aSignatureThatArrivesAfterTheQuorumWasCalledMeanwhileIsRefusedNotCountedAndNotA500() {
        meanwhile = () -> {
            sign("bo");
            sign("cy");
        };
        var verdict = sign("ana");
        assertThat(verdict).isEqualTo(new ApprovalDesk.Verdict.Refused(409, "the request is no longer awaiting approval (status APPROVED)"));
        assertThat(items.get("inc-1").signatures()).extracting(Signature::approver).containsExactlyInAnyOrder("bo", "cy");
        assertThat(events).hasSize(1);
    }

    @Test
    void anInvestigationIsLeftOpenForAPersonNeverApprovedNorExecuted() {
        var analysis = new dev.awoooi.analysis.Analysis(List.of(), List.of(), new dev.awoooi.action.Action.Investigate("ghost", "unknown"),
                "nothing to act on", null, null, new dev.awoooi.action.RiskAssessment(RiskLevel.LOW, List.of("baseline LOW")),
                new dev.awoooi.dryrun.DryRunReport(List.of(), "read-only"), null, 0, dev.awoooi.analysis.SimilarIncidents.none(),
                new dev.awoooi.analysis.TopologySummary(0, 0, Map.of(), List.of()), "plan-2", NOW);
        store.create(Incident.received("inc-2", "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW).withAnalysis(analysis));
        desk.open("inc-2");
        desk.open("inc-2"); // a redelivery
        assertThat(items.get("inc-2").status()).isEqualTo(IncidentStatus.INVESTIGATING);
        assertThat(items.get("inc-2").approval()).isNull();
        assertThat(events).containsExactly(new DomainEvent.InvestigationOpened("inc-2"));
        assertThat(audited).containsExactly("investigation-opened");
    }

    @Test
    void theSamePersonTwiceCountsOnce() {
        sign("ana");
        var again = sign("ana");
        assertThat(((ApprovalDesk.Verdict.Recorded) again).outcome()).isEqualTo(ApprovalRequest.Outcome.PENDING);
        assertThat(items.get("inc-1").signatures()).hasSize(1);
        assertThat(audited).containsExactly("signature");
    }
}
