package dev.awoooi.trust;

import java.util.List;
import java.util.Optional;

/** Port: where the ledger keeps its records, each saved only over the version it was made from. */
public interface TrustStore {
    Optional<TrustRecord> find(String key);

    /**
     * Saves the records together (all or none), each only if what is stored is still the version before it.
     *
     * @return false if any lost a race (nothing was saved): read again and redo
     */
    boolean save(List<TrustRecord> records);

    List<TrustRecord> all();
}
