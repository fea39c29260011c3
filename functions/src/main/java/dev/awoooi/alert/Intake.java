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
 * The front door. Each firing is recorded once however often it is delivered; alerts of one group or one service
 * within the grouping window gather into one open incident; a resolution goes to the incident its firing joined.
 * The raw alert leaves here only sealed; the incident holds no alert text until the Privacy Shield has run.
 */
public final class Intake {
    /** Below SQS's 256 KB message limit with room for the envelope. */
    static final int MAX_INLINE_CHARS = 200_000;

    public enum Outcome { CREATED, JOINED, DUPLICATE, RESOLVED, UNKNOWN_FIRING }

    public record Accepted(String id, Outcome outcome) {
        public boolean duplicate() {
            return outcome == Outcome.DUPLICATE;
        }
    }

    /** How long redeliveries are recognised, and how long alerts keep joining an incident after its last one. */
    public record Windows(Duration dedupe, Duration grouping) {
    }

    private final DedupeLedger ledger;
    private final OpenIncidents open;
    private final IncidentStore incidents;
    private final WorkQueue<SealedAlert> redactQueue;
    private final PayloadSpill spill;
    private final Sealer sealer;
    private final Function<Alert, String> alertJson;
    private final Function<String, String> blind;
    private final Clock clock;
    private final Windows windows;

    /**
     * @param blind keyed hash for group and service keys, so the index stores no label value in the clear
     */
    public Intake(DedupeLedger ledger, OpenIncidents open, IncidentStore incidents, WorkQueue<SealedAlert> redactQueue,
                  PayloadSpill spill, Sealer sealer, Function<Alert, String> alertJson, Function<String, String> blind,
                  Clock clock, Windows windows) {
        this.ledger = ledger;
        this.open = open;
        this.incidents = incidents;
        this.redactQueue = redactQueue;
        this.spill = spill;
        this.sealer = sealer;
        this.alertJson = alertJson;
        this.blind = blind;
        this.clock = clock;
        this.windows = windows;
    }

    public List<Accepted> accept(AlertBatch batch) {
        List<Accepted> accepted = new ArrayList<>();
        for (Alert alert : batch.alerts()) {
            accepted.add(alert.resolved() ? resolve(batch, alert) : fire(batch, alert));
        }
        return accepted;
    }

    private Accepted fire(AlertBatch batch, Alert alert) {
        var now = clock.instant();
        List<String> groupKeys = groupKeys(batch, alert);
        Optional<String> joining = groupKeys.stream().map(open::find).flatMap(Optional::stream)
                .filter(id -> incidents.find(id).filter(i -> !i.status().terminal()).isPresent())
                .findFirst();
        String id = joining.orElseGet(() -> IncidentIds.next(now));
        Optional<String> existing = ledger.claim(alert.dedupeKey(), id, windows.dedupe());
        if (existing.isPresent()) {
            return new Accepted(existing.get(), Outcome.DUPLICATE);
        }
        boolean creating = joining.isEmpty();
        try {
            if (creating) {
                incidents.create(Incident.received(id, batch.source(), alert.fingerprint(), alert.startsAt(), now));
            }
            groupKeys.forEach(key -> open.remember(key, id, windows.grouping()));
            send(id, batch, alert);
        } catch (RuntimeException e) {
            // Undo so the sender's retry records the alert instead of pointing at a half-written incident.
            try {
                if (creating) {
                    incidents.delete(id);
                }
                ledger.release(alert.dedupeKey(), id);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new Accepted(id, creating ? Outcome.CREATED : Outcome.JOINED);
    }

    private Accepted resolve(AlertBatch batch, Alert alert) {
        Optional<String> firing = ledger.holder(alert.firingKey());
        if (firing.isEmpty()) {
            return new Accepted(null, Outcome.UNKNOWN_FIRING);
        }
        String id = firing.get();
        Optional<String> existing = ledger.claim(alert.dedupeKey(), id, windows.dedupe());
        if (existing.isPresent()) {
            return new Accepted(existing.get(), Outcome.DUPLICATE);
        }
        try {
            send(id, batch, alert);
        } catch (RuntimeException e) {
            try {
                ledger.release(alert.dedupeKey(), id);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new Accepted(id, Outcome.RESOLVED);
    }

    private void send(String id, AlertBatch batch, Alert alert) {
        String sealed = sealer.seal(alertJson.apply(alert), id);
        redactQueue.send(sealed.length() <= MAX_INLINE_CHARS
                ? new SealedAlert(id, batch.source(), sealed, null, batch.truncatedAlerts())
                : new SealedAlert(id, batch.source(), null, spill.keep(id, sealed), batch.truncatedAlerts()));
    }

    private List<String> groupKeys(AlertBatch batch, Alert alert) {
        List<String> keys = new ArrayList<>(2);
        if (batch.groupKey() != null && !batch.groupKey().isBlank()) {
            keys.add("group#" + blind.apply(batch.source() + "\u0000" + batch.groupKey()));
        }
        if (alert.service() != null) {
            keys.add("service#" + blind.apply(alert.service()));
        }
        return keys;
    }
}
