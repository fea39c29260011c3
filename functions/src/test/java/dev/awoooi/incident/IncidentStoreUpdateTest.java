package dev.awoooi.incident;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The optimistic-update loop every writer of a contended incident uses. */
class IncidentStoreUpdateTest {
    static final Instant NOW = Instant.parse("2026-11-21T03:12:00Z");

    final RacyStore store = new RacyStore();
    final Incident known = Incident.received("inc-1", "alertmanager", "fp", NOW, NOW);

    @Test
    void aLostRaceIsReappliedToWhatTheOtherWriterSaved() {
        store.create(known);
        store.interfere = 2;
        Incident saved = store.update(known, i -> i.moveTo(IncidentStatus.ANALYZED, NOW));
        assertThat(saved.status()).isEqualTo(IncidentStatus.ANALYZED);
        assertThat(saved.summary()).as("the other writers' change is kept").isEqualTo("written by writer 0");
        assertThat(saved.version()).isEqualTo(known.version() + 3);
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
