package dev.awoooi.incident;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Port: durable incidents with optimistic locking. */
public interface IncidentStore {
    /** Creates the incident; fails if the id exists. */
    void create(Incident incident);

    /** The incident with its current {@link AlertCounts}. */
    Optional<Incident> find(String id);

    /** Where the incident stands, read without its details (the front door asks this of every alert it groups). */
    default Optional<IncidentStatus> status(String id) {
        return find(id).map(Incident::status);
    }

    /**
     * Saves {@code updated} only if the stored version is {@code expectedVersion}; leaves the alert counts as they
     * are. A save that makes the incident RESOLVED succeeds only while none of its alerts is firing, so an alert
     * that joins while the last one resolves keeps it open.
     */
    void save(Incident updated, long expectedVersion);

    /**
     * Applies {@code change} to {@code known} and saves it; if another writer got there first, re-reads and applies
     * it again (so {@code change} must be a pure function of the incident). Returning the incident unchanged writes
     * nothing. Gives up after a few lost races with the last {@link StaleIncidentException}.
     */
    default Incident update(Incident known, UnaryOperator<Incident> change) {
        Incident current = known;
        for (int attempt = 1; ; attempt++) {
            Incident updated = change.apply(current);
            if (updated == current) {
                return current;
            }
            try {
                save(updated, current.version());
                return updated;
            } catch (StaleIncidentException e) {
                if (attempt == 8) {
                    throw e;
                }
                String id = current.id();
                current = find(id).orElseThrow(() -> new IllegalStateException("no incident " + id));
            }
        }
    }
}
