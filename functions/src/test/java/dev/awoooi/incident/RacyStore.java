package dev.awoooi.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A versioned in-memory store; {@code interfere} other writers (the opening alert described) get in first before each
 * save. {@code announced}: what the committed writes announce, as the relay publishes it from the table's stream.
 */
public final class RacyStore implements IncidentStore {
    private static final Instant AT = Instant.parse("2026-11-21T03:12:00Z");

    public final Map<String, Incident> items = new HashMap<>();
    public int interfere;
    public int saves;
    public final List<DomainEvent> announced = new ArrayList<>();

    public void create(Incident incident) {
        items.put(incident.id(), incident);
    }

    public Optional<Incident> find(String id) {
        return Optional.ofNullable(items.get(id));
    }

    public void save(Incident updated, long expectedVersion) {
        if (interfere > 0) {
            interfere--;
            Incident theirs = items.get(updated.id());
            items.put(updated.id(), theirs.redacted("A", "svc", "written by writer " + interfere, theirs.labels(), Map.of(), AT));
        }
        if (items.get(updated.id()).version() != expectedVersion) {
            throw new StaleIncidentException(updated.id(), expectedVersion);
        }
        saves++;
        new Transition(items.get(updated.id()).status(), updated).event().ifPresent(announced::add);
        items.put(updated.id(), updated);
    }

}
