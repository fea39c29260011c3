package dev.awoooi.audit;

import java.util.Map;

/** Port: the append-only record of every decision and action, for compliance. */
public interface AuditLog {
    void record(String subject, String what, Map<String, String> detail);
}
