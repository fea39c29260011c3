package dev.awoooi.incident;

import java.util.List;

/** An alerts table that keeps nothing: for tests of what reads an incident's alerts and finds none. */
public final class NoIncidentAlerts implements IncidentAlerts {
    public boolean fired(String incidentId, IncidentAlert alert, int truncated) {
        return true;
    }

    public int firedAll(String incidentId, List<IncidentAlert> alerts, int truncated) {
        return alerts.size();
    }

    public boolean resolved(String incidentId, IncidentAlert alert, int truncated) {
        return true;
    }

    public List<IncidentAlert> firing(String incidentId, int limit) {
        return List.of();
    }

    public List<IncidentAlert> newest(String incidentId, int limit) {
        return List.of();
    }

    @Override
    public Page page(String incidentId, String cursor, int limit) {
        return new Page(List.of(), null);
    }
}
