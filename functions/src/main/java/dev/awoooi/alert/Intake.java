package dev.awoooi.alert;

import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The front door: one incident per alert firing, however often it is delivered. The raw alert leaves here only
 * sealed; the incident record holds no alert text until the Privacy Shield has run.
 */
public final class Intake {
    private final DedupeLedger ledger;
    private final IncidentStore incidents;
    private final WorkQueue<SealedAlert> redactQueue;
    private final Sealer sealer;
    private final Function<Alert, String> alertJson;
    private final Clock clock;
    private final Duration dedupeWindow;

    public Intake(DedupeLedger ledger, IncidentStore incidents, WorkQueue<SealedAlert> redactQueue, Sealer sealer,
                  Function<Alert, String> alertJson, Clock clock, Duration dedupeWindow) {
        this.ledger = ledger;
        this.incidents = incidents;
        this.redactQueue = redactQueue;
        this.sealer = sealer;
        this.alertJson = alertJson;
        this.clock = clock;
        this.dedupeWindow = dedupeWindow;
    }

    public record Accepted(String id, boolean duplicate) {
    }

    public List<Accepted> accept(AlertBatch batch) {
        List<Accepted> accepted = new ArrayList<>();
        for (Alert alert : batch.alerts()) {
            accepted.add(accept(batch.source(), alert));
        }
        return accepted;
    }

    private Accepted accept(String source, Alert alert) {
        var now = clock.instant();
        String id = IncidentIds.next(now);
        Optional<String> existing = ledger.claim(alert.dedupeKey(), id, dedupeWindow);
        if (existing.isPresent()) {
            return new Accepted(existing.get(), true);
        }
        try {
            incidents.create(Incident.received(id, source, alert.fingerprint(), alert.startsAt(), now));
            redactQueue.send(new SealedAlert(id, source, sealer.seal(alertJson.apply(alert), id)));
        } catch (RuntimeException e) {
            // Undo the claim so the sender's retry creates the incident instead of pointing at a half-written one.
            try {
                incidents.delete(id);
                ledger.release(alert.dedupeKey(), id);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new Accepted(id, false);
    }
}
