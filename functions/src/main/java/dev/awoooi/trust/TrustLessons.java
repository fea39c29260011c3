package dev.awoooi.trust;

import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentAlert;
import dev.awoooi.incident.IncidentAlerts;
import dev.awoooi.incident.IncidentStore;

import java.util.stream.Collectors;

/**
 * Feeds the ledger from what the incidents' committed moves announce (so no lesson is lost between a write and its
 * event): a new incident whose alert a recent fix had cleared, an execution's result, a rejection.
 */
public final class TrustLessons {
    /** How many of an earlier incident's newest alerts are compared with a new one (a storm's incident holds more). */
    static final int CLEARED_ALERTS = 200;

    private final IncidentStore incidents;
    private final IncidentAlerts alerts;
    private final TrustLedger ledger;

    public TrustLessons(IncidentStore incidents, IncidentAlerts alerts, TrustLedger ledger) {
        this.incidents = incidents;
        this.alerts = alerts;
        this.ledger = ledger;
    }

    /**
     * A new incident was analyzed: the recent fixes of its kind (same service and alert name) are checked for a repeat
     * of an alert they cleared (the same Alertmanager fingerprint, firing anew).
     */
    public void analyzed(String incidentId) {
        Incident fresh = incidents.find(incidentId).orElseThrow(() -> new IllegalStateException("no incident " + incidentId));
        if (fresh.analysis() == null || fresh.analysis().similar() == null) {
            return;
        }
        fresh.analysis().similar().incidents().stream().filter(past -> past.fixed())
                .forEach(past -> incidents.find(past.id()).ifPresent(earlier -> ledger.refired(fresh, earlier, () ->
                        alerts.newest(earlier.id(), CLEARED_ALERTS).stream().map(IncidentAlert::fingerprint).collect(Collectors.toSet()))));
    }

    /** An execution finished, or a request was rejected. */
    public void finished(String incidentId) {
        ledger.learn(incidents.find(incidentId).orElseThrow(() -> new IllegalStateException("no incident " + incidentId)));
    }
}
