package dev.awoooi.incident;

/**
 * How many alerts an incident holds, kept beside it rather than in it so an incident of 50,000 alerts stays a small
 * item: {@code alerts} recorded, {@code firing} of them not yet resolved, and {@code truncated}, the most alerts a
 * sender said it left out of one delivery (Alertmanager's {@code truncatedAlerts}).
 */
public record AlertCounts(long alerts, long firing, long truncated) {
    public static final AlertCounts NONE = new AlertCounts(0, 0, 0);

    /** Every recorded alert has resolved. */
    public boolean allResolved() {
        return alerts > 0 && firing <= 0;
    }
}
