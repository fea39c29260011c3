package dev.awoooi.incident;

import java.time.Instant;
import java.util.List;

/** Port: incidents by where they stand, for the work that looks for what is stuck. */
public interface IncidentIndex {
    /**
     * Ids of incidents in {@code status} last updated before {@code updatedBefore}, oldest first, at most {@code limit}.
     * Eventually consistent: read each again before acting on it.
     */
    List<String> idsIn(IncidentStatus status, Instant updatedBefore, int limit);
}
