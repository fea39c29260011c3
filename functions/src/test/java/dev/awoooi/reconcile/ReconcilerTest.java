package dev.awoooi.reconcile;

import dev.awoooi.SuppliedClock;

import dev.awoooi.action.Action;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.analysis.Analysis;
import dev.awoooi.analysis.SimilarIncidents;
import dev.awoooi.analysis.TopologySummary;
import dev.awoooi.approval.ApprovalDesk;
import dev.awoooi.approval.ApprovalLinks;
import dev.awoooi.approval.ApprovalRequest;
import dev.awoooi.approval.Approver;
import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.approval.Role;
import dev.awoooi.approval.SignatureRequirement;
import dev.awoooi.dryrun.DryRunReport;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentIndex;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.RacyStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class ReconcilerTest {
    static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    Instant now = T0;
    final Clock clock = SuppliedClock.of(() -> now);
    final RacyStore store = new RacyStore();
    final IncidentIndex index = (status, before, limit) -> store.items.values().stream()
            .filter(i -> i.status() == status && i.updatedAt().isBefore(before))
            .sorted(Comparator.comparing(Incident::updatedAt)).limit(limit).map(Incident::id).toList();
    final List<String> audited = new ArrayList<>();
    final List<Approver> approvers = List.of(new Approver("ana", Role.SRE), new Approver("bo", Role.DEVOPS));
    final ApprovalDesk desk = new ApprovalDesk(store, (subject, what, detail) -> audited.add(subject + " " + what),
            new ApprovalLinks("link-secret-for-tests-0123456789".getBytes(), "https://a.example"), ApproverDirectory.fixed(approvers), clock, Duration.ofHours(4), true);
    final List<Map<String, Object>> executeOrders = new ArrayList<>();
    final List<DeadLetters.Queue> deadLetterQueues = new ArrayList<>();
    final Set<String> seen = new HashSet<>();
    final List<DomainEvent> published = new ArrayList<>();
    RuntimeException busDown;
    final Reconciler reconciler = new Reconciler(store, index, desk, executeOrders::add, sample -> deadLetterQueues,
            new Sightings() {
                public boolean first(String key) {
                    return seen.add(key);
                }

                public void forget(String key) {
                    seen.remove(key);
                }
            }, event -> {
                if (busDown != null) {
                    throw busDown;
                }
                published.add(event);
            }, (subject, what, detail) -> audited.add(subject + " " + what), clock,
            new Reconciler.Bounds(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofMinutes(30),
                    Duration.ofDays(7)));

    Analysis analysis(RiskLevel risk) {
        return new Analysis(List.of(), List.of(), new Action.RestartStatefulSet("production", "[NAME_1]"), "restart", null, null,
                new RiskAssessment(risk, List.of("x")), new DryRunReport(List.of(), "fp"), null, 1.0, SimilarIncidents.none(),
                new TopologySummary(0, 0, Map.of(), List.of()), "plan-1", T0);
    }

    Incident put(String id, IncidentStatus status) {
        Incident received = Incident.received(id, "alertmanager", "fp", T0, T0);
        Incident analyzed = received.moveTo(IncidentStatus.ANALYZED, T0).withAnalysis(analysis(RiskLevel.HIGH));
        ApprovalRequest request = new ApprovalRequest(RiskLevel.HIGH, SignatureRequirement.forRisk(RiskLevel.HIGH), approvers, "plan-1",
                T0, T0.plus(Duration.ofHours(4)));
        Incident incident = switch (status) {
            case RECEIVED -> received;
            case ANALYZED -> analyzed;
            case AWAITING_APPROVAL -> analyzed.moveTo(IncidentStatus.AWAITING_APPROVAL, T0).withApproval(request);
            case APPROVED -> analyzed.moveTo(IncidentStatus.APPROVED, T0).withApproval(request);
            case EXECUTING -> analyzed.moveTo(IncidentStatus.APPROVED, T0).withApproval(request).moveTo(IncidentStatus.EXECUTING, T0);
            case INVESTIGATING -> analyzed.moveTo(IncidentStatus.INVESTIGATING, T0);
            default -> throw new IllegalArgumentException(status.name());
        };
        store.create(incident);
        return incident;
    }

    @Test
    void aRequestNobodyDecidedIsExpiredOnceAtItsExpiryNotBefore() {
        put("inc-1", IncidentStatus.AWAITING_APPROVAL);
        now = T0.plus(Duration.ofHours(4));
        assertThat(reconciler.run().expired()).isZero();
        now = T0.plus(Duration.ofHours(4)).plusSeconds(1);
        assertThat(reconciler.run().expired()).isEqualTo(1);
        assertThat(store.items.get("inc-1").status()).isEqualTo(IncidentStatus.EXPIRED);
        assertThat(store.items.get("inc-1").reason()).contains("nobody decided");
        assertThat(store.announced).containsExactly(new DomainEvent.ApprovalExpired("inc-1"));
        assertThat(reconciler.run().expired()).as("a second run").isZero();
        assertThat(audited).containsExactly("inc-1 expired");
    }

    @Test
    void anInvestigationWhoseAlertsNeverResolveIsClosedAfterItsBoundAndNotBefore() {
        put("inc-1", IncidentStatus.INVESTIGATING);
        now = T0.plus(Duration.ofDays(6));
        reconciler.run();
        assertThat(store.items.get("inc-1").status()).isEqualTo(IncidentStatus.INVESTIGATING);
        now = T0.plus(Duration.ofDays(7)).plusSeconds(1);
        assertThat(reconciler.run().ended()).isEqualTo(1);
        assertThat(store.items.get("inc-1").status()).isEqualTo(IncidentStatus.EXPIRED);
        assertThat(store.items.get("inc-1").reason()).contains("no word of its alerts for 7 days").contains("nothing was changed");
        assertThat(store.announced).singleElement().isInstanceOf(DomainEvent.InvestigationClosed.class);
    }

    @Test
    void anIncidentNeverAnalyzedEndsFailedWithAReasonAfterItsBoundAndNotBefore() {
        put("inc-1", IncidentStatus.RECEIVED);
        now = T0.plus(Duration.ofMinutes(14));
        reconciler.run();
        assertThat(store.items.get("inc-1").status()).isEqualTo(IncidentStatus.RECEIVED);
        now = T0.plus(Duration.ofMinutes(16));
        assertThat(reconciler.run().ended()).isEqualTo(1);
        assertThat(store.items.get("inc-1").status()).isEqualTo(IncidentStatus.FAILED);
        assertThat(store.items.get("inc-1").reason()).contains("not analyzed within 15 minutes").contains("dead-letter");
        assertThat(store.announced).singleElement().isInstanceOf(DomainEvent.ExecutionFailed.class);
    }

    @Test
    void anAnalyzedIncidentWhoseEventWasLostGetsItsRequestThenAndOnlyOnce() {
        put("inc-1", IncidentStatus.ANALYZED);
        now = T0.plus(Duration.ofMinutes(6));
        assertThat(reconciler.run().redriven()).isEqualTo(1);
        assertThat(store.items.get("inc-1").status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);
        assertThat(reconciler.run().redriven()).isZero();
        assertThat(store.announced).containsExactly(new DomainEvent.ApprovalRequested("inc-1", "HIGH", 2, "plan-1"));
    }

    @Test
    void anApprovedPlanIsSentToTheExecutorAgainAndVoidedIfItNeverRuns() {
        put("inc-1", IncidentStatus.APPROVED);
        now = T0.plus(Duration.ofMinutes(6));
        reconciler.run();
        assertThat(executeOrders).singleElement().satisfies(order -> {
            assertThat(order).containsEntry("detail-type", "Approval Granted");
            assertThat((Map<Object, Object>) order.get("detail")).containsEntry("incidentId", "inc-1").containsEntry("planHash", "plan-1")
                    .containsEntry("settle", false);
        });
        now = T0.plus(Duration.ofMinutes(31));
        reconciler.run();
        assertThat(store.items.get("inc-1").status()).isEqualTo(IncidentStatus.VOIDED);
        assertThat(store.items.get("inc-1").reason()).contains("not executed within 30 minutes").contains("nothing was changed");
    }

    @Test
    void aStoppedExecutionIsHandedToTheExecutorToSettleAndEndsUnknownOnlyIfThatNeverHappens() {
        put("inc-1", IncidentStatus.EXECUTING);
        now = T0.plus(Duration.ofMinutes(4));
        assertThat(reconciler.run().settling()).as("within the execution bound").isZero();
        now = T0.plus(Duration.ofMinutes(6));
        assertThat(reconciler.run().settling()).isEqualTo(1);
        assertThat(executeOrders).singleElement().satisfies(order ->
                assertThat((Map<Object, Object>) order.get("detail")).containsEntry("settle", true));
        now = T0.plus(Duration.ofMinutes(31));
        reconciler.run();
        assertThat(store.items.get("inc-1").status()).isEqualTo(IncidentStatus.FAILED);
        assertThat(store.items.get("inc-1").reason()).contains("outcome is unknown").contains("check the target by hand");
    }

    @Test
    void aPersonWhoActsAtTheSameMomentWinsAndTheReconcilerLeavesTheIncidentAlone() {
        put("inc-1", IncidentStatus.RECEIVED);
        now = T0.plus(Duration.ofMinutes(16));
        // the analysis lands between the reconciler's read and its write
        store.interfere = 0;
        Incident analyzedMeanwhile = store.items.get("inc-1").moveTo(IncidentStatus.ANALYZED, now).withAnalysis(analysis(RiskLevel.LOW));
        IncidentIndex lagging = (status, before, limit) -> {
            List<String> ids = index.idsIn(status, before, limit);
            if (status == IncidentStatus.RECEIVED && !ids.isEmpty()) {
                store.items.put("inc-1", analyzedMeanwhile);
            }
            return ids;
        };
        new Reconciler(store, lagging, desk, executeOrders::add, sample -> List.of(), new Sightings() {
            public boolean first(String key) {
                return true;
            }

            public void forget(String key) {
            }
        }, published::add, (s, w, d) -> { }, clock, new Reconciler.Bounds(Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofDays(7))).run();
        assertThat(store.items.get("inc-1").status()).isEqualTo(IncidentStatus.ANALYZED);
    }

    @Test
    void eachDeadLetterIsCardedOnceWithTheIncidentsAndTheRedriveCommandAndACardThatFailedComesAgain() {
        deadLetterQueues.add(new DeadLetters.Queue("AnalyzeDLQ", "arn:aws:sqs:us-east-1:1:AnalyzeDLQ", 2,
                List.of(new DeadLetters.Letter("m-2", "inc-b"), new DeadLetters.Letter("m-1", null))));
        busDown = new IllegalStateException("bus down");
        assertThat(reconciler.run().errors()).isEqualTo(1);
        busDown = null;
        assertThat(reconciler.run().deadLetterCards()).isEqualTo(1);
        assertThat(published).singleElement().isEqualTo(new DomainEvent.DeadLettered("AnalyzeDLQ", 2, List.of("inc-b"), 2, "m-1",
                "aws sqs start-message-move-task --source-arn arn:aws:sqs:us-east-1:1:AnalyzeDLQ"));
        assertThat(reconciler.run().deadLetterCards()).as("seen before").isZero();
        deadLetterQueues.set(0, new DeadLetters.Queue("AnalyzeDLQ", "arn:aws:sqs:us-east-1:1:AnalyzeDLQ", 3,
                List.of(new DeadLetters.Letter("m-1", null), new DeadLetters.Letter("m-3", "inc-c"))));
        assertThat(reconciler.run().deadLetterCards()).isEqualTo(1);
        assertThat(published.getLast()).isEqualTo(new DomainEvent.DeadLettered("AnalyzeDLQ", 3, List.of("inc-c"), 1, "m-3",
                "aws sqs start-message-move-task --source-arn arn:aws:sqs:us-east-1:1:AnalyzeDLQ"));
    }
}
