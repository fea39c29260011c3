package dev.awoooi.incident;

import dev.awoooi.action.ActionCatalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public JSON shape of an incident (GET /incidents/{id}, MCP's get_incident): pseudonymized, stable field names.
 * A contract with whoever reads it, so it lives here, not in the wiring of one route.
 */
public final class IncidentView {
    private IncidentView() {
    }

    /** How many of the newest alerts the view lists; the counts say how many there are. */
    public static final int NEWEST_ALERTS = 20;

    /** @param newest the incident's newest alerts, newest first */
    public static Map<String, Object> of(Incident incident, List<IncidentAlert> newest) {
        Map<String, Object> view = new LinkedHashMap<>();
        var analysis = incident.analysis();
        view.put("id", incident.id());
        view.put("status", incident.status().name());
        view.put("source", incident.source());
        view.put("alertName", incident.alertName());
        view.put("service", incident.service());
        view.put("summary", incident.summary());
        view.put("labels", incident.labels());
        var counts = incident.alertCounts();
        view.put("alertCount", counts.alerts());
        view.put("firingAlerts", counts.firing());
        view.put("truncatedAlerts", counts.truncated());
        view.put("alerts", newest);
        view.put("resolvedAt", incident.resolvedAt());
        view.put("receivedAt", incident.receivedAt());
        view.put("updatedAt", incident.updatedAt());
        view.put("rootCauses", analysis == null ? List.of() : analysis.rootCauses());
        view.put("blastRadius", analysis == null ? List.of() : analysis.blastRadius());
        if (analysis != null) {
            Map<String, Object> action = new LinkedHashMap<>();
            action.put("type", analysis.action().type());
            action.put("description", analysis.action().describe());
            action.put("parameters", analysis.action());
            action.put("why", analysis.proposal());
            action.put("suggestion", analysis.suggestion());
            action.put("scopeRefusal", analysis.scopeRefusal());
            action.put("verification", ActionCatalog.spec(analysis.action()).verification());
            view.put("action", action);
            view.put("risk", Map.of("level", analysis.risk().level().name(), "reasons", analysis.risk().reasons()));
            view.put("dryRun", Map.of("passed", analysis.dryRun().passed(), "checks", analysis.dryRun().checks(),
                    "stateFingerprint", analysis.dryRun().stateFingerprint()));
            view.put("findings", analysis.findings());
            view.put("costPerMinuteUsd", analysis.costPerMinuteUsd());
            view.put("similarIncidents", analysis.similar());
            view.put("topology", analysis.topology());
            view.put("model", analysis.model());
            view.put("planHash", analysis.planHash());
            view.put("analyzedAt", analysis.analyzedAt());
        } else {
            view.put("action", null);
            view.put("risk", null);
            view.put("model", null);
        }
        view.put("requiredSignatures", incident.approval() == null ? null : incident.approval().requirement().count());
        // why this many: the risk, and what the pattern's trust (or a brake) made of it
        view.put("signaturesWhy", incident.approval() == null ? null : incident.approval().why());
        view.put("signatures", incident.signatures().stream().map(s -> Map.of("approver", s.approver(),
                "roles", incident.approval().approver(s.approver()).map(a -> a.roles().stream().map(r -> r.name().toLowerCase()).sorted().toList())
                        .orElse(List.of()),
                "via", s.via() == null ? "unknown" : s.via().display(),
                "decision", s.decision().name(), "at", s.at().toString())).toList());
        view.put("execution", incident.execution());
        view.put("reason", incident.reason());
        view.put("reminders", incident.reminders().count());
        return view;
    }
}
