package dev.awoooi.reconcile;

import dev.awoooi.alert.WorkQueue;
import dev.awoooi.approval.ApprovalDesk;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.DomainEvents;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentIndex;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Every minute: nothing waits forever. Requests past their expiry are closed; incidents that stopped moving are driven
 * again or ended with a reason a person reads; an execution that stopped answering is settled by re-reading its target
 * (by the executor, which holds the identity for it); every dead letter is carded once with how to redrive it. Each
 * move goes through the store's conditional writes, so a person or a function acting at the same moment wins cleanly,
 * and each announces itself through the outbox like any other.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Incidents looked at per rule and run: a backlog drains over a few minutes instead of outlasting the function. */
    static final int BATCH = 100;
    static final int DEAD_LETTER_SAMPLE = 10;
    static final Duration REMEMBER_LETTERS = Duration.ofDays(15);

    /**
     * @param redrive   an ANALYZED or APPROVED incident idle this long is driven again (its event or message was lost)
     * @param analysis  a RECEIVED incident idle this long failed: its analysis was dead-lettered or never ran
     * @param execution an EXECUTING incident idle this long is settled from its target (longer than an execution may take)
     * @param giveUp    an incident still stuck this long is ended with the reason, for a person
     */
    /**
     * @param investigation how long an investigation stays open with no word of its alerts (a reminder is word) before
     *                      it is closed
     */
    public record Bounds(Duration redrive, Duration analysis, Duration execution, Duration giveUp, Duration investigation) {
    }

    /** What one run did. */
    public record Report(int expired, int redriven, int settling, int ended, int deadLetterCards, int errors) {
        public Map<String, Object> asMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("expired", expired);
            out.put("redriven", redriven);
            out.put("settling", settling);
            out.put("ended", ended);
            out.put("deadLetterCards", deadLetterCards);
            out.put("errors", errors);
            return out;
        }
    }

    private final IncidentStore incidents;
    private final IncidentIndex index;
    private final ApprovalDesk desk;
    private final WorkQueue<Map<String, Object>> executeQueue;
    private final DeadLetters deadLetters;
    private final Sightings sightings;
    private final DomainEvents events;
    private final AuditLog audit;
    private final Clock clock;
    private final Bounds bounds;

    public Reconciler(IncidentStore incidents, IncidentIndex index, ApprovalDesk desk, WorkQueue<Map<String, Object>> executeQueue,
                      DeadLetters deadLetters, Sightings sightings, DomainEvents events, AuditLog audit, Clock clock, Bounds bounds) {
        this.incidents = incidents;
        this.index = index;
        this.desk = desk;
        this.executeQueue = executeQueue;
        this.deadLetters = deadLetters;
        this.sightings = sightings;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
        this.bounds = bounds;
    }

    public Report run() {
        Instant now = clock.instant();
        int[] counts = new int[6]; // expired, redriven, settling, ended, cards, errors
        each(IncidentStatus.AWAITING_APPROVAL, now, counts, incident -> {
            if (desk.expireIfDue(incident.id())) {
                counts[0]++;
            }
        });
        each(IncidentStatus.RECEIVED, now.minus(bounds.analysis()), counts, incident ->
                end(incident, IncidentStatus.FAILED, counts, "not analyzed within " + words(bounds.analysis())
                        + ": its analysis failed or was dead-lettered (see the dead-letter cards); send the alert again once fixed"));
        each(IncidentStatus.ANALYZED, now.minus(bounds.redrive()), counts, incident -> {
            if (idle(incident, now, bounds.giveUp())) {
                end(incident, IncidentStatus.FAILED, counts, "analyzed, but no approval request was opened within " + words(bounds.giveUp()));
            } else {
                desk.open(incident.id());
                counts[1]++;
            }
        });
        each(IncidentStatus.APPROVED, now.minus(bounds.redrive()), counts, incident -> {
            if (idle(incident, now, bounds.giveUp())) {
                end(incident, IncidentStatus.VOIDED, counts, "VOIDED: approved, but not executed within " + words(bounds.giveUp())
                        + " (see the dead-letter cards); nothing was changed: ask for it again if it is still needed");
            } else {
                executeQueue.send(order("Approval Granted", incident, false));
                counts[1]++;
            }
        });
        each(IncidentStatus.EXECUTING, now.minus(bounds.execution()), counts, incident -> {
            if (idle(incident, now, bounds.giveUp())) {
                end(incident, IncidentStatus.FAILED, counts, "the execution stopped answering and could not be settled within "
                        + words(bounds.giveUp()) + ": its outcome is unknown; check the target by hand");
            } else {
                executeQueue.send(order("Execution Settle", incident, true));
                counts[2]++;
            }
        });
        each(IncidentStatus.INVESTIGATING, now.minus(bounds.investigation()), counts, incident ->
                end(incident, IncidentStatus.EXPIRED, counts, "no word of its alerts for " + words(bounds.investigation())
                        + " (neither a repeat nor a resolution), so it is closed; nothing was changed, and a new firing opens a new incident"));
        try {
            counts[4] = cardDeadLetters();
        } catch (RuntimeException e) {
            counts[5]++;
            log.error("reconcile could not look into the dead-letter queues: {}: {}", e.getClass().getSimpleName(), e.getMessage());
        }
        return new Report(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
    }

    /** One rule over the incidents the index shows, each read again (the index lags) and handled on its own. */
    private void each(IncidentStatus status, Instant idleSince, int[] counts, Consumer<Incident> rule) {
        List<String> ids;
        try {
            ids = index.idsIn(status, idleSince, BATCH);
        } catch (RuntimeException e) {
            counts[5]++;
            log.error("reconcile could not list {} incidents: {}: {}", status, e.getClass().getSimpleName(), e.getMessage());
            return;
        }
        for (String id : ids) {
            try {
                incidents.find(id).filter(i -> i.status() == status && !i.updatedAt().isAfter(idleSince)).ifPresent(rule);
            } catch (RuntimeException e) {
                counts[5]++;
                log.error("reconcile failed on {} ({}): {}: {}", id, status, e.getClass().getSimpleName(), e.getMessage());
            }
        }
    }

    private void end(Incident incident, IncidentStatus to, int[] counts, String reason) {
        IncidentStatus from = incident.status();
        Instant now = clock.instant();
        UnaryOperator<Incident> change = current -> current.status() != from || current.updatedAt().isAfter(incident.updatedAt()) ? current
                : current.withReason(reason).moveTo(to, now);
        Incident ended = incidents.update(incident, change);
        if (ended.status() == to && ended.status() != from && Objects.equals(ended.reason(), reason)) {
            counts[3]++;
            audit.record(incident.id(), "reconciled", Map.of("from", from.name(), "to", to.name(), "reason", reason));
        }
    }

    private static boolean idle(Incident incident, Instant now, Duration bound) {
        return !incident.updatedAt().isAfter(now.minus(bound));
    }

    private static Map<String, Object> order(String detailType, Incident incident, boolean settle) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("incidentId", incident.id());
        detail.put("planHash", incident.analysis() == null ? "" : incident.analysis().planHash());
        detail.put("settle", settle);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("detail-type", detailType);
        message.put("source", "awoooi.reconcile");
        message.put("detail", detail);
        return message;
    }

    /** Cards the dead letters not carded before; a card that could not be published leaves them to the next run. */
    private int cardDeadLetters() {
        int cards = 0;
        for (DeadLetters.Queue queue : deadLetters.look(DEAD_LETTER_SAMPLE)) {
            List<DeadLetters.Letter> fresh = new ArrayList<>();
            for (DeadLetters.Letter letter : queue.sample()) {
                if (sightings.first(key(queue, letter))) {
                    fresh.add(letter);
                }
            }
            if (fresh.isEmpty()) {
                continue;
            }
            List<String> about = fresh.stream().map(DeadLetters.Letter::incidentId).filter(Objects::nonNull).distinct().sorted().toList();
            String first = fresh.stream().map(DeadLetters.Letter::messageId).sorted().findFirst().orElseThrow();
            try {
                events.publish(new DomainEvent.DeadLettered(queue.name(), queue.waiting(), about, fresh.size(), first,
                        "aws sqs start-message-move-task --source-arn " + queue.arn()));
                cards++;
            } catch (RuntimeException e) {
                fresh.forEach(letter -> sightings.forget(key(queue, letter)));
                throw e;
            }
        }
        return cards;
    }

    private static String key(DeadLetters.Queue queue, DeadLetters.Letter letter) {
        return "deadletter#" + queue.name() + "#" + letter.messageId();
    }

    private static String words(Duration duration) {
        return duration.toDays() >= 1 ? duration.toDays() + " days"
                : duration.toMinutes() >= 1 ? duration.toMinutes() + " minutes" : duration.toSeconds() + " seconds";
    }
}
