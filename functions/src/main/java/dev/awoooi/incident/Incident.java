package dev.awoooi.incident;

import dev.awoooi.analysis.Analysis;
import dev.awoooi.approval.ApprovalRequest;
import dev.awoooi.approval.Signature;
import dev.awoooi.execution.ExecutionReport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One incident: a deduplicated alert and everything decided about it. Holds only pseudonymized text; the raw
 * values live in the vault. {@code version} guards every write (optimistic locking in the store).
 */
public record Incident(
        String id,
        long version,
        IncidentStatus status,
        String source,
        String fingerprint,
        Instant startsAt,
        Instant receivedAt,
        Instant updatedAt,
        String alertName,
        String service,
        String summary,
        Map<String, String> labels,
        Analysis analysis,
        ApprovalRequest approval,
        List<Signature> signatures,
        ExecutionReport execution,
        String reason) {

    public Incident {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        signatures = signatures == null ? List.of() : List.copyOf(signatures);
    }

    public static Incident received(String id, String source, String fingerprint, Instant startsAt, Instant now) {
        return new Incident(id, 1, IncidentStatus.RECEIVED, source, fingerprint, startsAt, now, now,
                null, null, null, Map.of(), null, null, List.of(), null, null);
    }

    /** Moves to {@code next}, refusing any transition the state machine does not allow. */
    public Incident moveTo(IncidentStatus next, Instant now) {
        if (!status.next().contains(next)) {
            throw new IllegalTransitionException(id, status, next);
        }
        return new Incident(id, version + 1, next, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason);
    }

    public Incident redacted(String alertName, String service, String summary, Map<String, String> labels, Instant now) {
        return new Incident(id, version + 1, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason);
    }

    public Incident withAnalysis(Analysis analysis) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason);
    }

    public Incident withApproval(ApprovalRequest approval) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason);
    }

    public Incident withSignature(Signature signature, Instant now) {
        List<Signature> all = new ArrayList<>(signatures);
        all.add(signature);
        return new Incident(id, version + 1, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, analysis, approval, all, execution, reason);
    }

    public Incident withExecution(ExecutionReport execution) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason);
    }

    public Incident withReason(String reason) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason);
    }
}
