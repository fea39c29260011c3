package dev.awoooi.incident;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The optimistic-update loop every writer of a contended incident uses. */
class IncidentStoreUpdateTest {
    static final Instant NOW = Instant.parse("2026-11-21T03:12:00Z");

    /** A versioned store; {@code interfere} other writers get in first before each save. */
    static final class RacyStore implements IncidentStore {
        final Map<String, Incident> items = new HashMap<>();
        int interfere;
        int saves;

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
                items.put(updated.id(), theirs.withAlert(new IncidentAlert("f" + interfere, NOW, "firing", null, "A", "svc", "s"), 0, NOW));
            }
            if (items.get(updated.id()).version() != expectedVersion) {
                throw new StaleIncidentException(updated.id(), expectedVersion);
            }
            saves++;
            items.put(updated.id(), updated);
        }

        public void delete(String id) {
            items.remove(id);
        }
    }

    final RacyStore store = new RacyStore();
    final Incident known = Incident.received("inc-1", "alertmanager", "fp", NOW, NOW);

    @Test
    void aLostRaceIsReappliedToWhatTheOtherWriterSaved() {
        store.create(known);
        store.interfere = 2;
        Incident saved = store.update(known, i -> i.moveTo(IncidentStatus.ANALYZED, NOW));
        assertThat(saved.status()).isEqualTo(IncidentStatus.ANALYZED);
        assertThat(saved.alerts()).as("the other writers' alerts are kept").hasSize(2);
        assertThat(store.find("inc-1")).contains(saved);
    }

    @Test
    void anUnchangedIncidentWritesNothing() {
        store.create(known);
        assertThat(store.update(known, i -> i)).isSameAs(known);
        assertThat(store.saves).isZero();
    }

    @Test
    void endlessContentionFailsLoudly() {
        store.create(known);
        store.interfere = 100;
        assertThatThrownBy(() -> store.update(known, i -> i.moveTo(IncidentStatus.ANALYZED, NOW)))
                .isInstanceOf(StaleIncidentException.class);
    }
}
