package dev.awoooi.incident;

import java.util.List;

/**
 * Port: the alerts of each incident, one item per firing (fingerprint and start), with the incident's
 * {@link AlertCounts} moved in the same atomic write, so a redelivered alert is never counted twice and a count never
 * misses an alert.
 */
public interface IncidentAlerts {
    /**
     * Records a firing alert; false if this firing is already recorded (a redelivery, or its resolution came first:
     * a resolution is never undone by a late firing).
     */
    boolean fired(String incidentId, IncidentAlert alert, int truncated);

    /**
     * Records firing alerts of one incident together, counted in one write; returns how many were new. A firing
     * already recorded among them is answered as {@link #fired} would, each alert counted once.
     */
    int firedAll(String incidentId, List<IncidentAlert> alerts, int truncated);

    /** Records a resolution; false if it was already recorded. Counts the firing as ended if it was counted. */
    boolean resolved(String incidentId, IncidentAlert alert, int truncated);

    /** Alerts still firing, at most {@code limit}, newest first. */
    List<IncidentAlert> firing(String incidentId, int limit);

    /** The newest alerts, at most {@code limit}, newest first. */
    List<IncidentAlert> newest(String incidentId, int limit);

    /** A page of an incident's alerts, newest first; {@code next} continues it, null at the end. */
    record Page(List<IncidentAlert> alerts, String next) {
    }

    /**
     * The alerts after {@code cursor} (null: the newest), at most {@code limit}.
     *
     * @throws IllegalArgumentException when the cursor is not one this incident's pages gave out
     */
    Page page(String incidentId, String cursor, int limit);
}
