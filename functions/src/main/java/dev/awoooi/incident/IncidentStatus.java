package dev.awoooi.incident;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an incident stands; every accepted alert ends in a terminal state a person can see. INVESTIGATING is open on
 * purpose: AWOOOI found nothing it may safely do, showed what it looked at, and leaves the incident to a person until
 * its alerts resolve.
 */
public enum IncidentStatus {
    RECEIVED, ANALYZED, INVESTIGATING, AWAITING_APPROVAL, APPROVED, EXECUTING, SUCCEEDED, FAILED, VOIDED, REJECTED, EXPIRED, RESOLVED;

    public Set<IncidentStatus> next() {
        return switch (this) {
            case RECEIVED -> EnumSet.of(ANALYZED, FAILED, RESOLVED);
            case ANALYZED -> EnumSet.of(INVESTIGATING, AWAITING_APPROVAL, APPROVED, FAILED, RESOLVED);
            case INVESTIGATING -> EnumSet.of(RESOLVED, EXPIRED);
            case AWAITING_APPROVAL -> EnumSet.of(APPROVED, REJECTED, EXPIRED, VOIDED, RESOLVED);
            case APPROVED -> EnumSet.of(EXECUTING, VOIDED);
            case EXECUTING -> EnumSet.of(SUCCEEDED, FAILED, VOIDED);
            case SUCCEEDED, FAILED, VOIDED, REJECTED, EXPIRED, RESOLVED -> EnumSet.noneOf(IncidentStatus.class);
        };
    }

    public boolean terminal() {
        return next().isEmpty();
    }

    /** Whether a repeat of its alert tells people again: nothing is being done about it, or what was done did not clear it. */
    public boolean remindable() {
        return this == INVESTIGATING || this == SUCCEEDED;
    }

    /**
     * Whether new alerts of its group or service join it. Not an open investigation: it was analyzed and handed to a
     * person, so a new firing opens an incident of its own that is analyzed (a repeat of its own firing still finds it).
     */
    public boolean joinable() {
        return !terminal() && this != INVESTIGATING;
    }
}
