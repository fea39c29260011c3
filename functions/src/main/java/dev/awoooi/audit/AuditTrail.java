package dev.awoooi.audit;

import java.time.LocalDate;
import java.util.List;

/** Port: reading the audit trail (the writers may only append to it, see {@link AuditLog}). */
public interface AuditTrail {
    /** Every item recorded about the subject, in order. */
    List<AuditEntry> chain(String subject);

    /** The subject's newest items, at most {@code limit}, in order (oldest of them first). */
    List<AuditEntry> newest(String subject, int limit);

    /** Every item recorded on the day (UTC), by time. */
    List<AuditEntry> day(LocalDate day);
}
