package dev.awoooi.analysis;

import java.util.List;

/**
 * What an analysis starts from, all pseudonymized: the incident, its alerting service and alert, every service its
 * alerts name (each is a health signal), the namespace the alert came from, and a runbook's remediation suggestion
 * in kubectl syntax if the alert carried one, the alert's own words (its summary and description) for a model, and who
 * asked for the plan when an assistant did through MCP ({@code requestedBy}; null for an alert).
 */
public record AnalysisRequest(String incidentId, String service, String alertName, List<AlertSignal> alerts, String namespace,
                              String suggestion, String alertText, String requestedBy) {

    public AnalysisRequest {
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    public AnalysisRequest(String incidentId, String service, String alertName, List<AlertSignal> alerts, String namespace,
                           String suggestion) {
        this(incidentId, service, alertName, alerts, namespace, suggestion, null, null);
    }

    /** One firing alert of the incident, as a health signal against its service. */
    public record AlertSignal(String service, String alertName) {
    }
}
