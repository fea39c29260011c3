package dev.awoooi.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditChainTest {
    static final Instant T = Instant.parse("2026-12-01T03:00:00Z");

    static List<AuditEntry> chain(int length) {
        List<AuditEntry> entries = new ArrayList<>();
        AuditEntry.Head head = AuditEntry.Head.EMPTY;
        for (int i = 0; i < length; i++) {
            AuditEntry entry = AuditEntry.after(head, "inc-1", T.plusSeconds(i), i % 2 == 0 ? "signature" : "granted",
                    Map.of("approver", "alice", "n", String.valueOf(i)));
            entries.add(entry);
            head = entry.head();
        }
        return entries;
    }

    @Test
    void anUntouchedChainVerifies() {
        var verification = AuditChain.verify(chain(5));
        assertThat(verification.verified()).isTrue();
        assertThat(verification.length()).isEqualTo(5);
        assertThat(verification.problems()).isEmpty();
        assertThat(AuditChain.verify(List.of()).verified()).isTrue();
    }

    @Test
    void anAlteredItemIsDetected() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry second = entries.get(1);
        // someone with table access changes who signed, and keeps the stored hash
        entries.set(1, new AuditEntry(second.subject(), second.seq(), second.at(), second.what(), Map.of("approver", "mallory", "n", "1"),
                second.prev(), second.hash()));
        var verification = AuditChain.verify(entries);
        assertThat(verification.verified()).isFalse();
        assertThat(verification.problems()).containsExactly("item 2 was altered (its content does not match its hash)");
    }

    @Test
    void anAlteredItemWhoseHashWasRecomputedBreaksTheNextLink() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry second = entries.get(1);
        AuditEntry forged = new AuditEntry(second.subject(), second.seq(), second.at(), second.what(), Map.of("approver", "mallory"),
                second.prev(), "");
        entries.set(1, new AuditEntry(forged.subject(), forged.seq(), forged.at(), forged.what(), forged.detail(), forged.prev(), forged.contentHash()));
        assertThat(AuditChain.verify(entries).problems()).containsExactly("item 3 does not follow item 2 (its link to the previous hash differs)");
    }

    @Test
    void aDeletedItemIsDetected() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        entries.remove(2);
        var verification = AuditChain.verify(entries);
        assertThat(verification.verified()).isFalse();
        assertThat(verification.problems()).containsExactly("item 3 is missing (deleted)",
                "item 4 does not follow item 2 (its link to the previous hash differs)");
    }

    @Test
    void theFirstItemDeletedIsDetected() {
        List<AuditEntry> entries = new ArrayList<>(chain(3));
        entries.removeFirst();
        assertThat(AuditChain.verify(entries).problems()).contains("item 1 is missing (deleted)");
    }

    @Test
    void fieldsCannotBeShiftedBetweenEachOtherWithoutChangingTheHash() {
        var a = AuditEntry.after(AuditEntry.Head.EMPTY, "inc-1", T, "ab", Map.of("c", "d"));
        var b = AuditEntry.after(AuditEntry.Head.EMPTY, "inc-1", T, "a", Map.of("bc", "d"));
        assertThat(a.hash()).isNotEqualTo(b.hash());
    }
}
