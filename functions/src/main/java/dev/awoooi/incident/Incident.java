package dev.awoooi.incident;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.awoooi.analysis.Analysis;
import dev.awoooi.approval.ApprovalRequest;
import dev.awoooi.approval.Signature;
import dev.awoooi.execution.ExecutionReport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One incident: the alerts gathered into it (counted here, kept one item each by {@link IncidentAlerts}) and
 * everything decided about it. Holds only pseudonymized text; the raw values live in the vault. {@code version} guards
 * every write (optimistic locking in the store); the counts move beside it without a version.
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
        Map<String, String> links,
        Analysis analysis,
        ApprovalRequest approval,
        List<Signature> signatures,
        ExecutionReport execution,
        String reason,
        Instant resolvedAt,
        Reminders reminders,
        @JsonIgnore AlertCounts alertCounts) {

    public Incident {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        links = links == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(links));
        signatures = signatures == null ? List.of() : List.copyOf(signatures);
        alertCounts = alertCounts == null ? AlertCounts.NONE : alertCounts;
        reminders = reminders == null ? Reminders.NONE : reminders;
    }

    /** The source of incidents an assistant opened through MCP's request_action, and the label naming who asked. */
    public static final String ASSISTANT_SOURCE = "mcp";
    public static final String REQUESTED_BY_LABEL = "awoooi_requested_by";

    /**
     * Who asked for this incident's plan through MCP (the caller's name), or null for an alert. Only the source, which
     * the route sets and no alert can, makes an incident an assistant's: a label alone never does.
     */
    public String requestedBy() {
        return ASSISTANT_SOURCE.equals(source) ? "mcp:" + labels.getOrDefault(REQUESTED_BY_LABEL, "unknown") : null;
    }

    public static Incident received(String id, String source, String fingerprint, Instant startsAt, Instant now) {
        return new Incident(id, 1, IncidentStatus.RECEIVED, source, fingerprint, startsAt, now, now,
                null, null, null, Map.of(), Map.of(), null, null, List.of(), null, null, null, Reminders.NONE, AlertCounts.NONE);
    }

    /** Moves to {@code next}, refusing any transition the state machine does not allow. */
    public Incident moveTo(IncidentStatus next, Instant now) {
        if (!status.next().contains(next)) {
            throw new IllegalTransitionException(id, status, next);
        }
        return new Incident(id, version + 1, next, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason, resolvedAt, reminders, alertCounts);
    }

    /** The opening alert's pseudonymized facts, and its links (runbook, source, silence) that hold no personal data. */
    public Incident redacted(String alertName, String service, String summary, Map<String, String> labels, Map<String, String> links,
                             Instant now) {
        return new Incident(id, version + 1, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason, resolvedAt, reminders, alertCounts);
    }

    public Incident withAnalysis(Analysis analysis) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason, resolvedAt, reminders, alertCounts);
    }

    public Incident withApproval(ApprovalRequest approval) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason, resolvedAt, reminders, alertCounts);
    }

    public Incident withSignature(Signature signature, Instant now) {
        List<Signature> all = new ArrayList<>(signatures);
        all.add(signature);
        return new Incident(id, version + 1, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, links, analysis, approval, all, execution, reason, resolvedAt, reminders, alertCounts);
    }

    /** Records what the execution is doing, as a write of its own (a new version), the state unchanged. */
    public Incident recording(ExecutionReport execution, Instant now) {
        return new Incident(id, version + 1, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason, resolvedAt, reminders, alertCounts);
    }

    public Incident withExecution(ExecutionReport execution) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason, resolvedAt, reminders, alertCounts);
    }

    public Incident withReason(String reason) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason, resolvedAt, reminders, alertCounts);
    }

    /** The counts as the store keeps them beside the incident (they are never part of a versioned write). */
    public Incident withAlertCounts(AlertCounts counts) {
        return new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, updatedAt, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason, resolvedAt, reminders, counts);
    }

    /**
     * The alert fired again while the incident is an open investigation, or after its fix succeeded (the fix did not
     * clear it): people are told again (the write announces it), at most once per {@code quiet}. Unchanged for any
     * other status, or when they were told within {@code quiet}.
     */
    public Incident reminded(Instant now, java.time.Duration quiet) {
        if (!status.remindable() || !reminders.due(now, quiet, updatedAt)) {
            return this;
        }
        return new Incident(id, version + 1, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason, resolvedAt,
                new Reminders(reminders.count() + 1, now), alertCounts);
    }

    /** The alert that opened the incident: the same firing (fingerprint and start). */
    public boolean openedBy(String alertFingerprint, Instant alertStartsAt) {
        return fingerprint.equals(alertFingerprint) && startsAt.equals(alertStartsAt);
    }

    /**
     * Every alert has resolved: the incident notes when, and if nothing has been executed or approved yet it
     * closes as RESOLVED, withdrawing any pending request (nobody should restart what has recovered).
     */
    public Incident resolved(Instant now) {
        Incident noted = new Incident(id, version, status, source, fingerprint, startsAt, receivedAt, now, alertName,
                service, summary, labels, links, analysis, approval, signatures, execution, reason,
                resolvedAt == null ? now : resolvedAt, reminders, alertCounts);
        return status.next().contains(IncidentStatus.RESOLVED) ? noted.moveTo(IncidentStatus.RESOLVED, now) : noted;
    }
}
