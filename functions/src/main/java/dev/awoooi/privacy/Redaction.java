package dev.awoooi.privacy;

import dev.awoooi.alert.Alert;
import dev.awoooi.alert.PayloadSpill;
import dev.awoooi.alert.SealedAlert;
import dev.awoooi.alert.Sealer;
import dev.awoooi.alert.WorkQueue;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentAlert;
import dev.awoooi.incident.IncidentAlerts;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The redact step: opens the sealed alert, pseudonymizes every value with the incident's own label space, records
 * the alert on its incident (one item per alert, counted in the same write) and passes the incident on to analysis.
 * A redelivered message is recognised by its alert's record and changes nothing twice. Alerts of one incident that
 * arrive in one batch are redacted together.
 */
public final class Redaction {
    private final PrivacyShield shield;
    private final Vault vault;
    private final Sealer sealer;
    private final PayloadSpill spill;
    private final IncidentStore incidents;
    private final IncidentAlerts alerts;
    private final WorkQueue<RedactedAlert> analyzeQueue;
    private final Function<String, Alert> alertFromJson;
    private final Clock clock;

    public Redaction(PrivacyShield shield, Vault vault, Sealer sealer, PayloadSpill spill, IncidentStore incidents, IncidentAlerts alerts,
                     WorkQueue<RedactedAlert> analyzeQueue, Function<String, Alert> alertFromJson, Clock clock) {
        this.shield = shield;
        this.vault = vault;
        this.sealer = sealer;
        this.spill = spill;
        this.incidents = incidents;
        this.alerts = alerts;
        this.analyzeQueue = analyzeQueue;
        this.alertFromJson = alertFromJson;
        this.clock = clock;
    }

    /**
     * Redacts alerts of one incident together, as a storm's batch brings them: one read of the incident, one vault
     * call for all their values, one write recording the firings with their counts. Each alert comes out as it would
     * alone; redoing any of them after a failure part way changes nothing twice.
     */
    public List<RedactedAlert> redactTogether(List<SealedAlert> work) {
        String id = work.getFirst().incidentId();
        if (work.stream().anyMatch(w -> !w.incidentId().equals(id))) {
            throw new IllegalArgumentException("alerts of one incident only");
        }
        Incident incident = incidents.find(id).orElseThrow(() -> new IllegalStateException("no incident " + id));
        List<Alert> opened = work.stream()
                .map(w -> alertFromJson.apply(sealer.open(w.sealed() != null ? w.sealed() : spill.take(w.spilled()), id))).toList();
        PseudonymTable table = labelled(id, opened);
        List<RedactedAlert> redacted = opened.stream().map(alert -> redact(id, alert, table)).toList();
        List<IncidentAlert> fired = new ArrayList<>();
        int truncated = 0;
        for (int i = 0; i < opened.size(); i++) {
            if (!opened.get(i).resolved()) {
                fired.add(entry(opened.get(i), redacted.get(i)));
                truncated = Math.max(truncated, work.get(i).truncatedAlerts());
            }
        }
        if (!fired.isEmpty()) {
            alerts.firedAll(id, fired, truncated);
        }
        boolean anyResolved = false;
        for (int i = 0; i < opened.size(); i++) {
            Alert alert = opened.get(i);
            if (alert.resolved()) {
                alerts.resolved(id, entry(alert, redacted.get(i)), work.get(i).truncatedAlerts());
                anyResolved = true;
            } else if (incident.openedBy(alert.fingerprint(), alert.startsAt())) {
                describe(incident, alert, redacted.get(i));
            }
        }
        if (anyResolved) {
            settle(incidents.find(id).orElseThrow());
        }
        return redacted;
    }

    private static IncidentAlert entry(Alert alert, RedactedAlert redacted) {
        return new IncidentAlert(alert.fingerprint(), alert.startsAt(), alert.status(), alert.endsAt(),
                redacted.alertName(), redacted.service(), redacted.summary());
    }

    private void describe(Incident incident, Alert alert, RedactedAlert redacted) {
        Incident described = incidents.update(incident, current -> current.summary() != null ? current
                : current.redacted(redacted.alertName(), redacted.service(), redacted.summary(), redacted.labels(),
                        dev.awoooi.alert.AlertLinks.of(alert, shield::finds), clock.instant()));
        // The opening alert alone asks for the analysis, on every delivery: one analysis per incident, and
        // a redelivery re-sends what a lost send dropped (analysis of an analyzed incident changes nothing).
        if (described.status() == IncidentStatus.RECEIVED) {
            analyzeQueue.send(redacted.bounded());
        }
    }

    /**
     * Closes the incident as RESOLVED once none of its alerts fires; the store refuses the move if one started
     * firing meanwhile. The move announces itself (the incident's Transition).
     */
    private void settle(Incident incident) {
        if (!incident.alertCounts().allResolved() || incident.resolvedAt() != null) {
            return;
        }
        incidents.update(incident, current ->
                current.alertCounts().allResolved() && current.resolvedAt() == null ? current.resolved(clock.instant()) : current);
    }

    /**
     * The incident's labels for every value the shield finds in the alerts: a first pass finds them, the vault
     * gives each its label (allocating new ones atomically), the second pass writes them.
     */
    private PseudonymTable labelled(String incidentId, List<Alert> alerts) {
        Map<String, String> typeByValue = new LinkedHashMap<>();
        for (Alert alert : alerts) {
            PseudonymTable probe = new PseudonymTable();
            redact(incidentId, alert, probe);
            probe.added().forEach((label, value) -> typeByValue.putIfAbsent(value, Pseudonym.parse(label).type()));
        }
        Map<String, String> valueByLabel = new LinkedHashMap<>();
        vault.labels(incidentId, typeByValue).forEach((value, label) -> valueByLabel.put(label, value));
        return PseudonymTable.of(valueByLabel);
    }

    private RedactedAlert redact(String incidentId, Alert alert, PseudonymTable table) {
        return new RedactedAlert(incidentId, alert.status(), alert.fingerprint(),
                shield.redact(alert.name(), table), shield.redact(alert.service(), table), shield.redact(alert.summary(), table),
                redactValues(alert.labels(), table), redactValues(alert.annotations(), table), redactValues(alert.context(), table),
                alert.startsAt(), alert.endsAt());
    }

    private Map<String, String> redactValues(Map<String, String> values, PseudonymTable table) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, shield.redact(v, table)));
        return out;
    }
}
