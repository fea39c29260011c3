package dev.awoooi.approval;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Port: who may sign. Each identity belongs to at most one person; every change is audited by the adapter, with the
 * identities masked.
 */
public interface ApproverDirectory {

    List<ApproverEntry> all();

    Optional<ApproverEntry> find(String id);

    /** The person a verified platform identity belongs to. */
    Optional<ApproverEntry> byIdentity(Identity identity);

    /**
     * Adds a person, or replaces their roles and identities.
     *
     * @param by who made the change (for the audit)
     * @throws IllegalArgumentException when one of the identities belongs to someone else
     */
    void put(ApproverEntry entry, String by);

    /** Removes a person and their identities; false when there was nobody by that id. */
    boolean remove(String id, String by);

    /** A fixed directory of people with roles and no identities, for tests and tools. */
    static ApproverDirectory fixed(List<Approver> approvers) {
        return of(approvers.stream().map(a -> new ApproverEntry(a.name(), a.roles(), List.of())).toList());
    }

    /** A fixed directory held in memory, for tests and tools. */
    static ApproverDirectory of(List<ApproverEntry> entries) {
        List<ApproverEntry> sorted = entries.stream().sorted(Comparator.comparing(ApproverEntry::id)).toList();
        return new ApproverDirectory() {
            @Override
            public List<ApproverEntry> all() {
                return sorted;
            }

            @Override
            public Optional<ApproverEntry> find(String id) {
                return sorted.stream().filter(e -> e.id().equals(id)).findFirst();
            }

            @Override
            public Optional<ApproverEntry> byIdentity(Identity identity) {
                return sorted.stream().filter(e -> e.identities().contains(identity)).findFirst();
            }

            @Override
            public void put(ApproverEntry entry, String by) {
                throw new UnsupportedOperationException("a fixed directory");
            }

            @Override
            public boolean remove(String id, String by) {
                throw new UnsupportedOperationException("a fixed directory");
            }
        };
    }
}
