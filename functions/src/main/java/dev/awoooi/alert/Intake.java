package dev.awoooi.alert;

import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The front door. Each firing is recorded once however often it is delivered; alerts of one group or one service
 * within the grouping window gather into one open incident, and two deliveries racing to open it open one; a
 * resolution goes to the incident its firing joined. The raw alert leaves here only sealed; the incident holds no
 * alert text until the Privacy Shield has run. A delivery that dies half way leaves nothing a retry would mistake
 * for done: its claims expire at its own deadline.
 */
public final class Intake {
    private static final Logger log = LoggerFactory.getLogger(Intake.class);
    /** Below SQS's 256 KB message limit with room for the envelope. */
    static final int MAX_INLINE_CHARS = 200_000;
    /** Time kept back from the deadline for the alert in hand: sealing, one send, one write. */
    static final Duration RESERVE = Duration.ofSeconds(3);
    /** Lost races to open one group's incident before the delivery gives up (and the sender retries). */
    static final int OPEN_ATTEMPTS = 5;
    /**
     * How long a container trusts what it read of a group's pointers and its incident's status: a storm's alerts
     * join without re-reading them for each alert. An incident that ended less than this ago may still be joined,
     * as it would by an alert that arrived that much earlier.
     */
    static final Duration TRUST_SEEN = Duration.ofSeconds(1);
    private static final int SEEN_KEPT = 1_000;
    private static final Duration REMIND_CHECKED = Duration.ofMinutes(1);

    /**
     * What became of one alert. IN_PROGRESS: another delivery is recording the same alert right now; DEFERRED: the
     * delivery ran out of time before this alert. Both ask the sender to retry.
     */
    public enum Outcome {
        CREATED, JOINED, DUPLICATE, RESOLVED, UNKNOWN_FIRING, IN_PROGRESS, DEFERRED;

        public boolean retry() {
            return this == IN_PROGRESS || this == DEFERRED;
        }
    }

    public record Accepted(String id, Outcome outcome) {
        public boolean duplicate() {
            return outcome == Outcome.DUPLICATE;
        }
    }

    /**
     * How long redeliveries are recognised, how long alerts keep joining an incident after its last one, and how long
     * after telling people about an open investigation a repeat of its alert tells them again.
     */
    public record Windows(Duration dedupe, Duration grouping, Duration renotify) {
    }

    private final AlertLedger ledger;
    private final IncidentStore incidents;
    private final WorkQueue<SealedAlert> redactQueue;
    private final PayloadSpill spill;
    private final Sealer sealer;
    private final Function<Alert, String> alertJson;
    private final Function<String, String> blind;
    private final Clock clock;
    private final Windows windows;
    private final Map<List<String>, Seen> seen = new ConcurrentHashMap<>();
    /** When this container last asked whether an incident's repeated alert should remind people: at most once a minute. */
    private final Map<String, Instant> remindChecked = new ConcurrentHashMap<>();

    /** A group's pointers as read at {@code at}, and the live incident they led to. */
    private record Seen(Map<String, AlertLedger.Pointer> pointers, String incidentId, Instant at) {
    }

    /**
     * @param blind keyed hash for group and service keys, so the index stores no label value in the clear
     */
    public Intake(AlertLedger ledger, IncidentStore incidents, WorkQueue<SealedAlert> redactQueue, PayloadSpill spill,
                  Sealer sealer, Function<Alert, String> alertJson, Function<String, String> blind, Clock clock, Windows windows) {
        this.ledger = ledger;
        this.incidents = incidents;
        this.redactQueue = redactQueue;
        this.spill = spill;
        this.sealer = sealer;
        this.alertJson = alertJson;
        this.blind = blind;
        this.clock = clock;
        this.windows = windows;
    }

    /**
     * Records the batch's alerts in order until {@code deadline} (the invocation's end): claims taken in progress
     * expire then, and alerts left when too little time remains are answered DEFERRED.
     */
    public List<Accepted> accept(AlertBatch batch, Instant deadline) {
        List<Accepted> accepted = new ArrayList<>();
        for (Alert alert : batch.alerts()) {
            if (clock.instant().isAfter(deadline.minus(RESERVE))) {
                accepted.add(new Accepted(null, Outcome.DEFERRED));
            } else {
                accepted.add(alert.resolved() ? resolve(batch, alert, deadline) : fire(batch, alert, deadline));
            }
        }
        return accepted;
    }

    private Accepted fire(AlertBatch batch, Alert alert, Instant deadline) {
        List<String> groupKeys = groupKeys(batch, alert);
        for (int attempt = 1; ; attempt++) {
            Seen known = attempt == 1 ? recentlySeen(groupKeys) : null;
            Map<String, AlertLedger.Pointer> pointers = known != null ? known.pointers() : ledger.pointers(groupKeys);
            Map<String, Optional<IncidentStatus>> statuses = new HashMap<>();
            if (known == null) {
                pointers.values().forEach(p -> statuses.computeIfAbsent(p.incidentId(), incidents::status));
            }
            Optional<String> joining = known != null ? Optional.of(known.incidentId())
                    : statuses.entrySet().stream().filter(e -> e.getValue().filter(IncidentStatus::joinable).isPresent())
                    .map(Map.Entry::getKey).sorted().findFirst();
            // After the reads: an incident opened here starts after the one it replaces had ended.
            var now = clock.instant();
            if (joining.isPresent()) {
                String id = joining.get();
                Optional<AlertLedger.Holder> held = ledger.claim(alert.dedupeKey(), id, deadline);
                if (held.isPresent()) {
                    return repeated(held.get());
                }
                if (known == null) {
                    remember(groupKeys, new Seen(pointers, id, now));
                }
                sendOrRelease(id, batch, alert, () -> {
                    if (ledger.extend(groupKeys, pointers, id, now.plus(windows.grouping()))) {
                        seen.remove(groupKeys); // the pointers moved: read them again next time
                    }
                });
                return new Accepted(id, Outcome.JOINED);
            }
            Incident incident = Incident.received(IncidentIds.next(now), batch.source(), alert.fingerprint(), alert.startsAt(), now);
            // A pointer is taken over only from an incident seen ended. One whose incident is not found yet may belong
            // to an opening still committing: the next attempt sees it; only the last takes over a pointer at nothing.
            boolean lastAttempt = attempt == OPEN_ATTEMPTS;
            Map<String, AlertLedger.Pointer> ended = new HashMap<>();
            pointers.forEach((key, pointer) -> {
                Optional<IncidentStatus> status = statuses.get(pointer.incidentId());
                if (status.map(s -> !s.joinable()).orElse(lastAttempt)) {
                    ended.put(key, pointer);
                }
            });
            switch (ledger.open(alert.dedupeKey(), deadline, incident, groupKeys, ended, now.plus(windows.grouping()))) {
                case AlertLedger.Opening.Opened opened -> {
                    // An empty incident left by a failed send is harmless: the retry joins it through its pointers.
                    sendOrRelease(incident.id(), batch, alert, () -> { });
                    return new Accepted(incident.id(), Outcome.CREATED);
                }
                case AlertLedger.Opening.Held h -> {
                    return repeated(h.holder());
                }
                case AlertLedger.Opening.GroupTaken taken -> {
                    if (attempt == OPEN_ATTEMPTS) {
                        throw new IllegalStateException("lost " + OPEN_ATTEMPTS + " races to open the group's incident");
                    }
                }
            }
        }
    }

    private Seen recentlySeen(List<String> groupKeys) {
        Seen known = seen.get(groupKeys);
        Instant now = clock.instant();
        if (known == null || known.at().plus(TRUST_SEEN).isBefore(now)
                || known.pointers().values().stream().anyMatch(p -> p.expiresAt().isBefore(now))) {
            return null;
        }
        return known;
    }

    private void remember(List<String> groupKeys, Seen read) {
        if (seen.size() >= SEEN_KEPT) {
            seen.clear();
        }
        seen.put(groupKeys, read);
    }

    private Accepted resolve(AlertBatch batch, Alert alert, Instant deadline) {
        Optional<String> firing = ledger.holder(alert.firingKey());
        if (firing.isEmpty()) {
            return new Accepted(null, Outcome.UNKNOWN_FIRING);
        }
        String id = firing.get();
        Optional<AlertLedger.Holder> held = ledger.claim(alert.dedupeKey(), id, deadline);
        if (held.isPresent()) {
            return held(held.get());
        }
        sendOrRelease(id, batch, alert, () -> { });
        return new Accepted(id, Outcome.RESOLVED);
    }

    /**
     * A firing delivered again. Alertmanager repeats a firing that goes on: if its incident is an open investigation,
     * or its fix succeeded yet the alert still fires, people are told again (at most once per renotify window), not
     * silenced for the dedupe window.
     */
    private Accepted repeated(AlertLedger.Holder holder) {
        if (holder.completed()) {
            remind(holder.incidentId());
        }
        return held(holder);
    }

    private void remind(String incidentId) {
        Instant now = clock.instant();
        Instant checked = remindChecked.get(incidentId);
        if (checked != null && checked.plus(REMIND_CHECKED).isAfter(now)) {
            return;
        }
        if (remindChecked.size() >= SEEN_KEPT) {
            remindChecked.clear();
        }
        remindChecked.put(incidentId, now);
        try {
            if (incidents.status(incidentId).filter(IncidentStatus::remindable).isPresent()) {
                incidents.find(incidentId).ifPresent(incident -> incidents.update(incident, current -> current.reminded(now, windows.renotify())));
            }
        } catch (RuntimeException e) {
            // The alert is recorded; only the reminder is lost, and the firing's next repeat tries again.
            log.warn("could not remind people of {}: {}", incidentId, e.getClass().getSimpleName());
        }
    }

    private Accepted held(AlertLedger.Holder holder) {
        return new Accepted(holder.incidentId(), holder.completed() ? Outcome.DUPLICATE : Outcome.IN_PROGRESS);
    }

    /** Sends the alert on and completes its claim; if anything fails first, gives the claim back for the retry. */
    private void sendOrRelease(String id, AlertBatch batch, Alert alert, Runnable before) {
        try {
            before.run();
            send(id, batch, alert);
        } catch (RuntimeException e) {
            try {
                ledger.release(alert.dedupeKey(), id);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup); // the claim then expires at the delivery's deadline
            }
            throw e;
        }
        ledger.complete(alert.dedupeKey(), id, clock.instant().plus(windows.dedupe()));
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
