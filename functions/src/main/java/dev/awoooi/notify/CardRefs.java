package dev.awoooi.notify;

import java.util.Optional;

/**
 * Port: where a channel put an incident's approval card (Slack's channel and {@code ts}, a Telegram message id), so the
 * card can be updated in place on every later state change: links die (Slack's {@code response_url} after 30 minutes),
 * a stored handle does not.
 */
public interface CardRefs {

    /** The card's handle on a channel, and what it said (to redraw it). */
    record Ref(String handle, String title, String text) {
    }

    void remember(String channel, String incidentId, Ref ref);

    Optional<Ref> recall(String channel, String incidentId);
}
