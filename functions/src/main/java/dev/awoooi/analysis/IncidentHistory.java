package dev.awoooi.analysis;

import java.util.List;

/** Port: retrieval of past incidents, the memory the analysis draws on. */
public interface IncidentHistory {
    /** The most recent incidents of this service and alert name, newest first, without {@code excludeId}. */
    List<PastIncident> similar(String service, String alertName, String excludeId, int limit);
}
