package dev.awoooi.analysis;

import java.util.List;

/**
 * What an analysis starts from, all pseudonymized: the incident, its alerting service and alert, every service its
 * alerts name (each is a health signal), the namespace the alert came from, and a runbook's remediation suggestion
 * in kubectl syntax if the alert carried one.
 */
public record AnalysisRequest(String incidentId, String service, String alertName, List<AlertSignal> alerts, String namespace,
                              String suggestion) {

    public AnalysisRequest {
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    /** One firing alert of the incident, as a health signal against its service. */
    public record AlertSignal(String service, String alertName) {
    }
}
