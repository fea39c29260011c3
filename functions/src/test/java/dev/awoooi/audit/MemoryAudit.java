package dev.awoooi.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The audit trail in memory, chained exactly as the table's ({@link AuditEntry}), for unit tests. */
public final class MemoryAudit implements AuditLog, AuditTrail {
    private final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public synchronized void record(String subject, String what, Map<String, String> detail) {
        AuditEntry.Head head = chain(subject).stream().reduce((a, b) -> b).map(AuditEntry::head).orElse(AuditEntry.Head.EMPTY);
        entries.add(AuditEntry.after(head, subject, Instant.now(), what, detail));
    }

    @Override
    public synchronized List<AuditEntry> chain(String subject) {
        return entries.stream().filter(e -> e.subject().equals(subject)).toList();
    }

    @Override
    public synchronized List<AuditEntry> newest(String subject, int limit) {
        List<AuditEntry> chain = chain(subject);
        return chain.subList(Math.max(0, chain.size() - limit), chain.size());
    }

    @Override
    public synchronized List<AuditEntry> day(LocalDate day) {
        return entries.stream().filter(e -> LocalDate.ofInstant(e.at(), ZoneOffset.UTC).equals(day)).toList();
    }

    public synchronized List<String> whats(String subject) {
        return chain(subject).stream().map(AuditEntry::what).toList();
    }
}
