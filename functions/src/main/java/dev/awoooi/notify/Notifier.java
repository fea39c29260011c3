package dev.awoooi.notify;

import dev.awoooi.approval.Approver;
import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cards each event once, however often the bus and the queue deliver it: one card per event id. A card whose
 * delivery failed is given back and the event retried (then dead-lettered); one being sent by another delivery makes
 * this one wait for the queue's redelivery rather than send it twice. With no chat configured, each card is recorded
 * in the audit table as undelivered, with why: never as notified.
 */
public final class Notifier {
    /** How long a delivered event is remembered: longer than any redelivery (SQS keeps a message 14 days at most). */
    static final Duration REMEMBERED = Duration.ofDays(15);
    private static final long WAIT_STEP_MILLIS = 200;

    private final Cards cards;
    private final List<ChatRoute> routes;
    private final List<PrivateChannel> privately;
    private final ApproverDirectory directory;
    private final CardLedger ledger;
    private final IncidentStore incidents;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration patience;

    /**
     * @param patience how long a delivery waits for another one carding the same event to finish (usually well under
     *                 a second) before handing its message back for the queue's redelivery, minutes later
     */
    public Notifier(Cards cards, List<ChatRoute> routes, List<PrivateChannel> privately, ApproverDirectory directory, CardLedger ledger,
                    IncidentStore incidents, AuditLog audit, Clock clock, Duration patience) {
        this.patience = patience;
        this.cards = cards;
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("no chat route: with no channel configured, route to ChatChannel.none(why)");
        }
        this.routes = List.copyOf(routes);
        this.privately = List.copyOf(privately);
        this.directory = directory;
        this.ledger = ledger;
        this.incidents = incidents;
        this.audit = audit;
        this.clock = clock;
    }

    /** Cards {@code event}; {@code deadline} is when the invocation ends (an in-progress claim lapses then). */
    public void announce(DomainEvent event, Instant deadline) {
        // The shared card and each personal link go out on their own: one that fails holds up none of the others, and
        // the event's redelivery sends only what did not go.
        Incident incident = event.incidentId() == null ? null : incidents.find(event.incidentId())
                .orElseThrow(() -> new IllegalStateException("no incident " + event.incidentId()));
        RuntimeException failed = announceShared(event, incident, deadline);
        if (event instanceof DomainEvent.ApprovalRequested) {
            for (Approver asked : incident.approval().approvers()) {
                String key = event.eventId() + "#" + asked.name();
                try {
                    if (claim(key, deadline)) {
                        sendPersonalLink(incident, asked, key);
                    }
                } catch (RuntimeException e) {
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** True when this delivery is to send what {@code key} names; false when it was sent already. */
    private boolean claim(String key, Instant deadline) {
        CardLedger.Claim claim = ledger.claim(key, deadline);
        for (long waited = 0; claim == CardLedger.Claim.IN_PROGRESS && waited < patience.toMillis(); waited += WAIT_STEP_MILLIS) {
            pause();
            claim = ledger.claim(key, deadline);
        }
        return switch (claim) {
            case SETTLED -> false;
            case IN_PROGRESS -> throw new IllegalStateException("the card for " + key + " is being sent by another delivery");
            case TAKEN -> true;
        };
    }

    /**
     * The person's own link, to them alone, through the first private channel they can be reached on: never in the
     * shared card. Someone the directory no longer holds, or holds with no private channel, gets nothing, and the
     * audit says so.
     */
    private void sendPersonalLink(Incident incident, Approver asked, String key) {
        try {
            var entry = directory.find(asked.name());
            var route = privately.stream().flatMap(channel -> entry.flatMap(e -> e.on(channel.channel()))
                    .map(identity -> Map.entry(channel, identity)).stream()).findFirst();
            if (route.isEmpty()) {
                recordSettled(key);
                audit.record(incident.id(), "undelivered", Map.of("kind", "Personal Link", "approver", asked.name(), "eventId", key,
                        "reason", entry.isEmpty() ? asked.name() + " is no longer in the directory"
                                : asked.name() + " has no identity on a private channel AWOOOI sends on ("
                                + privately.stream().map(c -> c.channel().label()).collect(java.util.stream.Collectors.joining(", ")) + ")"));
                return;
            }
            route.get().getKey().send(route.get().getValue(), cards.personalLink(incident, asked));
        } catch (RuntimeException e) {
            ledger.release(key);
            throw e;
        }
        recordSettled(key);
        audit.record(incident.id(), "notified", Map.of("kind", "Personal Link", "approver", asked.name(), "eventId", key));
    }

    /**
     * The shared card, to each channel whose route takes the incident, each on its own (its own ledger key): a channel
     * that is down holds up none of the others, and the redelivery sends only where it did not go. The first failure
     * is returned, the others added to it.
     */
    private RuntimeException announceShared(DomainEvent event, Incident incident, Instant deadline) {
        Card card;
        try {
            card = cards.render(event, incident);
        } catch (RuntimeException e) {
            return e;
        }
        String subject = event.incidentId() == null ? "scan" : event.incidentId();
        Optional<String> nowhere = routes.stream().map(r -> r.channel().nowhere()).flatMap(Optional::stream).findFirst();
        RuntimeException failed = null;
        for (ChatRoute route : routes) {
            if (!route.takes(incident) && nowhere.isEmpty()) {
                continue;
            }
            String key = event.eventId() + "#" + route.name();
            try {
                if (!claim(key, deadline)) {
                    continue;
                }
                try {
                    if (nowhere.isEmpty()) {
                        route.channel().deliver(card);
                    }
                } catch (RuntimeException e) {
                    ledger.release(key);
                    throw e;
                }
                recordSettled(key);
                if (nowhere.isPresent()) {
                    // Nothing is recorded as delivered that was not: the audit entry says where it did not go, and why.
                    audit.record(subject, "undelivered", Map.of("kind", card.kind(), "title", card.title(), "eventId", event.eventId(),
                            "reason", nowhere.get()));
                } else {
                    audit.record(subject, "notified", Map.of("kind", card.kind(), "title", card.title(), "eventId", event.eventId(),
                            "channel", route.name()));
                }
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        return failed;
    }

    /**
     * The card is out: if this record failed, the event's redelivery would send it again once the claim lapsed. It is
     * one idempotent write, so it is tried a few times before the failure is let through.
     */
    private void recordSettled(String eventId) {
        for (int attempt = 1; ; attempt++) {
            try {
                ledger.settled(eventId, clock.instant().plus(REMEMBERED));
                return;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    throw e;
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(WAIT_STEP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another delivery sent the card", e);
        }
    }
}
