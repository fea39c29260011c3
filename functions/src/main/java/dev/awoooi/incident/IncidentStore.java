package dev.awoooi.incident;

import java.util.Optional;

/** Port: durable incidents with optimistic locking. */
public interface IncidentStore {
    /** Creates the incident; fails if the id exists. */
    void create(Incident incident);

    Optional<Incident> find(String id);

    /** Saves {@code updated} only if the stored version is {@code updated.version() - 1} (or equal for in-place detail writes). */
    void save(Incident updated, long expectedVersion);

    void delete(String id);
}
