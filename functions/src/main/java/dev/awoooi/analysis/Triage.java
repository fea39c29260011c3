package dev.awoooi.analysis;

import dev.awoooi.audit.AuditLog;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentAlert;
import dev.awoooi.incident.IncidentAlerts;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.privacy.RedactedAlert;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The analyze step of an incident: analyzes it once (a redelivered or later alert of the group finds it analyzed)
 * and records a refused runbook suggestion, and a plan refused for reaching outside the scope, in the audit log. The
 * move to ANALYZED announces itself (see {@link dev.awoooi.incident.Transition}).
 */
public final class Triage {
    /** Alert annotations that may carry a remediation in kubectl syntax, first found wins. */
    public static final List<String> SUGGESTION_ANNOTATIONS = List.of("awoooi_remediation", "remediation");

    /** Alert annotations that say in words what is wrong (Alertmanager's and Grafana's conventions). */
    static final List<String> TEXT_ANNOTATIONS = List.of("summary", "description", "message");

    /** The firing alerts the analysis weighs: enough to name every service of a storm, bounded for a huge one. */
    static final int FIRING_SIGNALS = 500;

    private final Analyzer analyzer;
    private final IncidentStore incidents;
    private final IncidentAlerts alerts;
    private final AuditLog audit;
    private final Clock clock;

    public Triage(Analyzer analyzer, IncidentStore incidents, IncidentAlerts alerts, AuditLog audit, Clock clock) {
        this.analyzer = analyzer;
        this.incidents = incidents;
        this.alerts = alerts;
        this.audit = audit;
        this.clock = clock;
    }

    public void analyze(RedactedAlert alert) {
        Incident incident = incidents.find(alert.incidentId()).orElseThrow(() -> new IllegalStateException("no incident " + alert.incidentId()));
        if (incident.status() == IncidentStatus.RECEIVED) {
            Analysis analysis = analyzer.analyze(request(incident, alerts.firing(incident.id(), FIRING_SIGNALS), alert));
            // Alerts of the group may still be landing on the incident: a lost race is retried, not the analysis.
            Incident stored = incidents.update(incident, current -> current.status() == IncidentStatus.RECEIVED
                    ? current.moveTo(IncidentStatus.ANALYZED, clock.instant()).withAnalysis(analysis) : current);
            if (stored.analysis() == analysis) {
                // The trail starts here: the front door and the Privacy Shield hold no audit grant (a storm's every
                // alert would contend for one chain), so the first item records when the alert was accepted.
                audit.record(incident.id(), "alert-accepted", Map.of("source", String.valueOf(incident.source()),
                        "alert", String.valueOf(stored.alertName()), "fingerprint", String.valueOf(incident.fingerprint()),
                        "receivedAt", String.valueOf(incident.receivedAt())));
                audit.record(incident.id(), "analyzed", Map.of("rootCauses", String.valueOf(analysis.rootCauses().size()),
                        "blastRadius", String.valueOf(analysis.blastRadius().size()), "action", analysis.action().type(),
                        "plan", analysis.action().describe(), "risk", analysis.risk().level().name(),
                        "dryRun", analysis.dryRun().passed() ? "passed" : "failed", "planHash", analysis.planHash()));
            }
            if (stored.analysis() == analysis && analysis.suggestion() != null && analysis.suggestion().refused()) {
                audit.record(incident.id(), "suggestion_refused", Map.of("reason", analysis.suggestion().reason()));
            }
            if (stored.analysis() == analysis && analysis.scopeRefusal() != null) {
                audit.record(incident.id(), "scope_refused", Map.of("reason", analysis.scopeRefusal()));
            }
            if (stored.analysis() == analysis && analysis.model() != null) {
                ModelOpinion model = analysis.model();
                // a refused leak is its own entry: the security trail looks for it by name
                audit.record(incident.id(), model.status() == ModelOpinion.Status.LEAK_REFUSED ? "model_leak_refused" : "model_consulted",
                        Map.of("model", model.model(), "status", model.status().name(), "adopted", String.valueOf(model.adopted()),
                                "note", model.note(), "inputTokens", String.valueOf(model.inputTokens()),
                                "outputTokens", String.valueOf(model.outputTokens()),
                                "costUsd", String.format(java.util.Locale.ROOT, "%.6f", model.costUsd()),
                                "latencyMs", String.valueOf(model.latencyMs())));
            }
        }
    }

    static AnalysisRequest request(Incident incident, List<IncidentAlert> firingAlerts, RedactedAlert alert) {
        List<AnalysisRequest.AlertSignal> firing = firingAlerts.stream().filter(a -> !a.resolved() && a.service() != null)
                .map((IncidentAlert a) -> new AnalysisRequest.AlertSignal(a.service(), a.name())).distinct().toList();
        String suggestion = null;
        if (alert.annotations() != null) {
            for (String key : SUGGESTION_ANNOTATIONS) {
                if (alert.annotations().get(key) != null) {
                    suggestion = alert.annotations().get(key);
                    break;
                }
            }
        }
        String service = incident.service() != null ? incident.service() : alert.service();
        String alertName = incident.alertName() != null ? incident.alertName() : alert.alertName();
        return new AnalysisRequest(incident.id(), service, alertName, firing, incident.labels().get("namespace"), suggestion,
                alertText(alert), incident.requestedBy());
    }

    /** The alert's own words for a model: its summary, description and message annotations, pseudonymized. */
    private static String alertText(RedactedAlert alert) {
        if (alert.annotations() == null) {
            return null;
        }
        List<String> words = TEXT_ANNOTATIONS.stream().map(alert.annotations()::get).filter(t -> t != null && !t.isBlank()).toList();
        return words.isEmpty() ? null : String.join(" ", words);
    }
}
