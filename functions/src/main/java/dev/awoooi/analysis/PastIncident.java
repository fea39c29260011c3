package dev.awoooi.analysis;

import java.time.Instant;

/** An earlier incident of the same service and alert: what was proposed, and how it ended. */
public record PastIncident(String id, Instant receivedAt, String actionType, String status) {

    /** Whether the action ran and was verified. */
    public boolean fixed() {
        return "SUCCEEDED".equals(status);
    }

    /** Whether the action was tried at all (verified, failed after running, or voided by a changed cluster). */
    public boolean ran() {
        return fixed() || "FAILED".equals(status) || "VOIDED".equals(status);
    }
}
