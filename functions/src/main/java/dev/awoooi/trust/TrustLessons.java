package dev.awoooi.trust;

import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStore;

/**
 * Feeds the ledger from what the incidents' committed moves announce (so no lesson is lost between a write and its
 * event): a new incident whose alert a recent fix had cleared, an execution's result, a rejection.
 */
public final class TrustLessons {
    private final IncidentStore incidents;
    private final TrustLedger ledger;

    public TrustLessons(IncidentStore incidents, TrustLedger ledger) {
        this.incidents = incidents;
        this.ledger = ledger;
    }

    /** A new incident was analyzed: the earlier fixes of its alert (same service, name and labels) are checked for a repeat. */
    public void analyzed(String incidentId) {
        Incident fresh = incidents.find(incidentId).orElseThrow(() -> new IllegalStateException("no incident " + incidentId));
        if (fresh.analysis() == null || fresh.analysis().similar() == null) {
            return;
        }
        fresh.analysis().similar().incidents().stream().filter(past -> past.fixed())
                .forEach(past -> incidents.find(past.id()).ifPresent(earlier -> ledger.refired(fresh, earlier)));
    }

    /** An execution finished, or a request was rejected. */
    public void finished(String incidentId) {
        ledger.learn(incidents.find(incidentId).orElseThrow(() -> new IllegalStateException("no incident " + incidentId)));
    }
}
