package dev.awoooi.audit;

import java.util.Map;

/**
 * Port: the append-only record of every decision and action, for compliance. Each record becomes the next item of
 * its subject's hash chain ({@link AuditEntry}); nothing recorded is ever changed or removed.
 */
public interface AuditLog {
    void record(String subject, String what, Map<String, String> detail);
}
