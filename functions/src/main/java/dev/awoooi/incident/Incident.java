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
        String reason,
        List<IncidentAlert> alerts,
        int truncatedAlerts,
        Instant resolvedAt) {

    public Incident {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        signatures = signatures == null ? List.of() : List.copyOf(signatures);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    public static Incident received(String id, String source, String fingerprint, Instant startsAt, Instant now) {
        return new Incident(id, 1, IncidentStatus.RECEIVED, source, fingerprint, startsAt, now, now,
                null, null, null, Map.of(), null, null, List.of(), null, null, List.of(), 0, null);
    }

    /** Moves to {@code next}, refusing any transition the state machine does not allow. */
    public Incident moveTo(IncidentStatus next, Instant now) {
        if (!status.next().contains(next)) {
            throw new IllegalTransitionException(id, status, next);
        }
        return new Incident(id, version + 1, next, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason, alerts, truncatedAlerts, resolvedAt);
    }

    public Incident redacted(String alertName, String service, String summary, Map<String, String> labels, Instant now) {
        return new Incident(id, version + 1, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason, alerts, truncatedAlerts, resolvedAt);
    }

    public Incident withAnalysis(Analysis analysis) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason, alerts, truncatedAlerts, resolvedAt);
    }

    public Incident withApproval(ApprovalRequest approval) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason, alerts, truncatedAlerts, resolvedAt);
    }

    public Incident withSignature(Signature signature, Instant now) {
        List<Signature> all = new ArrayList<>(signatures);
        all.add(signature);
        return new Incident(id, version + 1, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, analysis, approval, all, execution, reason, alerts, truncatedAlerts, resolvedAt);
    }

    public Incident withExecution(ExecutionReport execution) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason, alerts, truncatedAlerts, resolvedAt);
    }

    public Incident withReason(String reason) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason, alerts, truncatedAlerts, resolvedAt);
    }

    /**
     * Records one alert of the incident (already redacted), merged by its firing key: a resolution is never undone
     * by a late or redelivered firing. The group's truncated count is the largest any delivery reported.
     */
    public Incident withAlert(IncidentAlert alert, int truncated, Instant now) {
        List<IncidentAlert> all = new ArrayList<>();
        boolean merged = false;
        for (IncidentAlert known : alerts) {
            if (known.sameFiring(alert)) {
                all.add(known.mergedWith(alert));
                merged = true;
            } else {
                all.add(known);
            }
        }
        if (!merged) {
            all.add(alert);
        }
        return new Incident(id, version + 1, status, source, fingerprint, startsAt, receivedAt, now, alertName, service,
                summary, labels, analysis, approval, signatures, execution, reason, all, Math.max(truncatedAlerts, truncated), resolvedAt);
    }

    public boolean allAlertsResolved() {
        return !alerts.isEmpty() && alerts.stream().allMatch(IncidentAlert::resolved);
    }

    /**
     * Every alert has resolved: the incident notes when, and if nothing has been executed or approved yet it
     * closes as RESOLVED, withdrawing any pending request (nobody should restart what has recovered).
     */
    public Incident resolved(Instant now) {
        Incident noted = new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, analysis, approval, signatures, execution, reason, alerts, truncatedAlerts,
                resolvedAt == null ? now : resolvedAt);
        return status.next().contains(IncidentStatus.RESOLVED) ? noted.moveTo(IncidentStatus.RESOLVED, now) : noted;
    }
}
