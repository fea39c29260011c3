package dev.awoooi.privacy;

import dev.awoooi.alert.Alert;
import dev.awoooi.alert.PayloadSpill;
import dev.awoooi.alert.SealedAlert;
import dev.awoooi.alert.Sealer;
import dev.awoooi.alert.WorkQueue;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.DomainEvents;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentAlert;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The redact step: opens the sealed alert, pseudonymizes every value with the incident's own label space, keeps
 * the mapping, records the alert on its incident and passes firing alerts on to analysis.
 */
public final class Redaction {
    private final PrivacyShield shield;
    private final Vault vault;
    private final Sealer sealer;
    private final PayloadSpill spill;
    private final IncidentStore incidents;
    private final WorkQueue<RedactedAlert> analyzeQueue;
    private final DomainEvents events;
    private final Function<String, Alert> alertFromJson;
    private final Clock clock;

    public Redaction(PrivacyShield shield, Vault vault, Sealer sealer, PayloadSpill spill, IncidentStore incidents,
                     WorkQueue<RedactedAlert> analyzeQueue, DomainEvents events, Function<String, Alert> alertFromJson, Clock clock) {
        this.shield = shield;
        this.vault = vault;
        this.sealer = sealer;
        this.spill = spill;
        this.incidents = incidents;
        this.analyzeQueue = analyzeQueue;
        this.events = events;
        this.alertFromJson = alertFromJson;
        this.clock = clock;
    }

    public RedactedAlert redact(SealedAlert work) {
        Incident incident = incidents.find(work.incidentId())
                .orElseThrow(() -> new IllegalStateException("no incident " + work.incidentId()));
        String sealed = work.sealed() != null ? work.sealed() : spill.take(work.spilled());
        Alert alert = alertFromJson.apply(sealer.open(sealed, work.incidentId()));
        PseudonymTable table = PseudonymTable.of(vault.open(work.incidentId()));
        Map<String, String> labels = redactValues(alert.labels(), table);
        RedactedAlert redacted = new RedactedAlert(work.incidentId(), alert.status(), alert.fingerprint(),
                shield.redact(alert.name(), table), shield.redact(alert.service(), table), shield.redact(alert.summary(), table),
                labels, redactValues(alert.annotations(), table), redactValues(alert.context(), table),
                alert.startsAt(), alert.endsAt());
        // Vault first: a pseudonym that reaches any store or queue must always be resolvable.
        vault.keep(work.incidentId(), table.added());

        IncidentAlert entry = new IncidentAlert(alert.fingerprint(), alert.startsAt(), alert.status(), alert.endsAt(),
                redacted.alertName(), redacted.service(), redacted.summary());
        AtomicReference<IncidentStatus> before = new AtomicReference<>();
        Incident updated = record(incident, entry, redacted, labels, work.truncatedAlerts(), before);
        if (!alert.resolved() && updated.status() == IncidentStatus.RECEIVED) {
            analyzeQueue.send(redacted.bounded());
        }
        if (updated.status() == IncidentStatus.RESOLVED && before.get() != IncidentStatus.RESOLVED) {
            events.publish(new DomainEvent.IncidentRecovered(updated.id(), before.get() == IncidentStatus.AWAITING_APPROVAL));
        }
        return redacted;
    }

    /** Adds the alert to its incident. Alerts of one group are redacted side by side, so lost races are normal. */
    private Incident record(Incident incident, IncidentAlert entry, RedactedAlert redacted, Map<String, String> labels, int truncated,
                            AtomicReference<IncidentStatus> before) {
        return incidents.update(incident, current -> {
            before.set(current.status()); // of the attempt that wins: whether this alert is the one that closed it
            var now = clock.instant();
            Incident updated = current.withAlert(entry, truncated, now);
            if (updated.summary() == null && !entry.resolved()) {
                updated = updated.redacted(redacted.alertName(), redacted.service(), redacted.summary(), labels, now);
            }
            return updated.allAlertsResolved() ? updated.resolved(now) : updated;
        });
    }

    private Map<String, String> redactValues(Map<String, String> values, PseudonymTable table) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, shield.redact(v, table)));
        return out;
    }
}
