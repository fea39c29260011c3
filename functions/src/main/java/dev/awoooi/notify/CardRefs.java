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

    /**
     * Whether the card may be redrawn to show {@code stage} (a later state than any it shows): true once, for the first
     * redraw of each later stage; false for a stage it already shows or has passed, and when there is no card. Redraws
     * come from events the queue may deliver late or out of order, and from clicks; this keeps a card from going back.
     */
    boolean advance(String channel, String incidentId, long stage);

    /** The stage of a redraw after {@code signatures} signatures while the request still awaits more. */
    static long signed(int signatures) {
        return signatures;
    }

    /** The stage of a redraw that closes the request: after any signature, and the execution's result after the grant. */
    static long closed(String kind) {
        return kind.startsWith("Execution") ? 2_000_000 : 1_000_000;
    }
}
