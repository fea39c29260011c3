package dev.awoooi.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Port: the console's list of incidents, read from the status index. */
public interface IncidentList {
    /**
     * One incident as a list shows it, read from the status index alone (no incident document): pseudonyms as stored.
     *
     * @param asked   the approvers its request asks (empty without one)
     * @param signers who signed the plan now on the table, in order, each with APPROVE or REJECT
     */
    record Listed(String id, IncidentStatus status, Instant updatedAt, Instant receivedAt, String alertName, String severity,
                  String service, String namespace, String rootCause, String action, String risk, int required,
                  List<String> asked, Map<String, String> signers, Instant expiresAt) {
        /** Whether this person is asked for a signature they have not given yet. */
        public boolean awaits(String approver) {
            return status == IncidentStatus.AWAITING_APPROVAL && approver != null && asked.contains(approver) && !signers.containsKey(approver);
        }
    }

    /** What a list narrows to; null fields do not narrow. {@code since}: updated at or after. */
    record Filter(String service, String namespace, String risk, String severity, Instant since) {
        public static final Filter NONE = new Filter(null, null, null, null, null);
    }

    /**
     * A page of a list, newest first. {@code next} continues it (null at the end); a page may hold fewer rows than
     * asked, even none, when the filter matched little of what one page reads: it still says where to go on.
     */
    record Listing(List<Listed> rows, String next) {
    }

    /**
     * Incidents in any of {@code statuses}, newest update first, narrowed by {@code filter}, from {@code cursor} (null for
     * the first page). Each page reads a bounded number of index items per status, however many the table holds.
     *
     * @throws IllegalArgumentException when the cursor is not one this list gave out
     */
    Listing list(Set<IncidentStatus> statuses, Filter filter, String cursor, int limit);
}
