package dev.awoooi.privacy;

import dev.awoooi.alert.Alert;
import dev.awoooi.alert.SealedAlert;
import dev.awoooi.alert.Sealer;
import dev.awoooi.alert.WorkQueue;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The redact step: opens the sealed alert, pseudonymizes every value, keeps the mapping, passes on the result. */
public final class Redaction {
    private final PrivacyShield shield;
    private final Vault vault;
    private final Sealer sealer;
    private final IncidentStore incidents;
    private final WorkQueue<RedactedAlert> analyzeQueue;
    private final Function<String, Alert> alertFromJson;
    private final Clock clock;

    public Redaction(PrivacyShield shield, Vault vault, Sealer sealer, IncidentStore incidents,
                     WorkQueue<RedactedAlert> analyzeQueue, Function<String, Alert> alertFromJson, Clock clock) {
        this.shield = shield;
        this.vault = vault;
        this.sealer = sealer;
        this.incidents = incidents;
        this.analyzeQueue = analyzeQueue;
        this.alertFromJson = alertFromJson;
        this.clock = clock;
    }

    public RedactedAlert redact(SealedAlert work) {
        Incident incident = incidents.find(work.incidentId())
                .orElseThrow(() -> new IllegalStateException("no incident " + work.incidentId()));
        Alert alert = alertFromJson.apply(sealer.open(work.sealed(), work.incidentId()));
        PseudonymTable table = PseudonymTable.of(vault.open(work.incidentId()));
        Map<String, String> labels = redactValues(alert.labels(), table);
        Map<String, String> annotations = redactValues(alert.annotations(), table);
        RedactedAlert redacted = new RedactedAlert(work.incidentId(), alert.status(),
                shield.redact(alert.name(), table), shield.redact(alert.service(), table),
                shield.redact(alert.summary(), table), labels, annotations, alert.startsAt());
        // Vault first: a pseudonym that reaches any store or queue must always be resolvable.
        vault.keep(work.incidentId(), table.added());
        if (incident.status() == IncidentStatus.RECEIVED && incident.summary() == null) {
            incidents.save(incident.redacted(redacted.alertName(), redacted.service(), redacted.summary(), labels,
                    clock.instant()), incident.version());
        }
        analyzeQueue.send(redacted);
        return redacted;
    }

    private Map<String, String> redactValues(Map<String, String> values, PseudonymTable table) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, shield.redact(v, table)));
        return out;
    }
}
