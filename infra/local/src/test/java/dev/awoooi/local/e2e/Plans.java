package dev.awoooi.local.e2e;

import dev.awoooi.action.Action;
import dev.awoooi.action.ObjectRef;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.analysis.Analysis;
import dev.awoooi.analysis.SimilarIncidents;
import dev.awoooi.analysis.TopologySummary;
import dev.awoooi.approval.ApprovalRequest;
import dev.awoooi.approval.Approver;
import dev.awoooi.approval.Role;
import dev.awoooi.approval.SignatureRequirement;
import dev.awoooi.dryrun.DryRunReport;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Incidents as the analysis and the approval would leave them, for tests that start from the middle of the loop. */
public final class Plans {
    public static final ObjectRef DB = ObjectRef.of(ObjectRef.Kind.STATEFULSET, "production", "postgres-db");
    public static final Action RESTART_DB = new Action.RestartStatefulSet("production", "postgres-db");
    static final List<Approver> APPROVERS = List.of(new Approver("alice", Role.DEVOPS), new Approver("bob", Role.SRE));

    private Plans() {
    }

    public static Analysis restartOfTheDatabase(String fingerprint, Instant at) {
        return new Analysis(List.of(), List.of(), RESTART_DB, "restart postgres-db", null, null,
                new RiskAssessment(RiskLevel.HIGH, List.of("stateful workload")), new DryRunReport(List.of(), fingerprint), null, 10.0,
                SimilarIncidents.none(), new TopologySummary(0, 0, Map.of(), List.of()), "plan-" + at.toEpochMilli(), at);
    }

    public static Incident analyzed(Instant at) {
        String id = IncidentIds.next(at);
        return Incident.received(id, "alertmanager", "fp-" + id, at, at).redacted("PostgresDown", "postgres-db", "postgres is down", Map.of(), Map.of(), at)
                .moveTo(IncidentStatus.ANALYZED, at).withAnalysis(restartOfTheDatabase("fp", at));
    }

    public static ApprovalRequest request(Incident incident, Instant at, Duration toDecide) {
        return new ApprovalRequest(RiskLevel.HIGH, SignatureRequirement.forRisk(RiskLevel.HIGH), APPROVERS,
                incident.analysis().planHash(), at, at.plus(toDecide));
    }

    /** A restart of postgres-db signed against {@code fingerprint} (the target's state when it was signed), approved at {@code at}. */
    public static Incident approvedRestart(String fingerprint, Instant at) {
        Incident analyzed = analyzed(at).withAnalysis(restartOfTheDatabase(fingerprint, at));
        return analyzed.moveTo(IncidentStatus.AWAITING_APPROVAL, at).withApproval(request(analyzed, at, Duration.ofHours(4)))
                .moveTo(IncidentStatus.APPROVED, at);
    }
}
