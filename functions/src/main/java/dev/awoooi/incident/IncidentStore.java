package dev.awoooi.incident;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Port: durable incidents with optimistic locking. */
public interface IncidentStore {
    /** Creates the incident; fails if the id exists. */
    void create(Incident incident);

    Optional<Incident> find(String id);

    /** Saves {@code updated} only if the stored version is {@code updated.version() - 1} (or equal for in-place detail writes). */
    void save(Incident updated, long expectedVersion);

    void delete(String id);

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
