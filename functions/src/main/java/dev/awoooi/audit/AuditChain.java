package dev.awoooi.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a subject's trail: numbered from 1 without a gap, each item sealed by its own hash and linked to the one
 * before. What it cannot see alone: the newest items removed together (the trail then ends early, intact); the
 * incident's own record (its status, its signatures) tells how far its trail should reach.
 */
public final class AuditChain {
    private AuditChain() {
    }

    /** @param verified whether every item is intact and linked; problems say where not, in order */
    public record Verification(boolean verified, int length, String head, List<String> problems) {
    }

    /** @param entries the subject's items as stored, in ascending {@code seq} */
    public static Verification verify(List<AuditEntry> entries) {
        return verify(entries, AuditEntry.Head.EMPTY);
    }

    /**
     * A part of a chain (a day's items): each sealed, numbered without a gap, and linked to the one before, from the
     * first item's own link on.
     */
    public static Verification verifyPart(List<AuditEntry> entries) {
        return entries.isEmpty() ? verify(entries) : verify(entries, new AuditEntry.Head(entries.getFirst().seq() - 1, entries.getFirst().prev()));
    }

    private static Verification verify(List<AuditEntry> entries, AuditEntry.Head start) {
        List<String> problems = new ArrayList<>();
        AuditEntry.Head before = start;
        for (AuditEntry entry : entries) {
            long expected = before.seq() + 1;
            if (entry.seq() > expected) {
                problems.add(entry.seq() - expected == 1 ? "item " + expected + " is missing (deleted)"
                        : "items " + expected + " to " + (entry.seq() - 1) + " are missing (deleted)");
            }
            if (!entry.prev().equals(before.hash())) {
                problems.add("item " + entry.seq() + " does not follow item " + before.seq() + " (its link to the previous hash differs)");
            }
            if (!entry.intact()) {
                problems.add("item " + entry.seq() + " was altered (its content does not match its hash)");
            }
            before = entry.head();
        }
        return new Verification(problems.isEmpty(), entries.size(), before.hash(), List.copyOf(problems));
    }
}
