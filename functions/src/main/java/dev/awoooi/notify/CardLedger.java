package dev.awoooi.notify;

import java.time.Instant;

/**
 * Port: which events have had their card, with the semantics of Powertools' idempotency. A delivery claims the event
 * IN PROGRESS until its own deadline and marks it SETTLED once the chat took the card (or it was recorded as
 * undeliverable); a delivery that dies in
 * between leaves a claim that expires with it, so the redelivered event is carded then.
 */
public interface CardLedger {
    enum Claim {
        /** This delivery cards the event. */
        TAKEN,
        /** The card was settled before (it went out, or was recorded as undeliverable): this is a redelivery. */
        SETTLED,
        /** Another delivery is carding it right now. */
        IN_PROGRESS
    }

    Claim claim(String eventId, Instant until);

    /** The card went out, or was recorded as undeliverable: redeliveries of the event change nothing. */
    void settled(String eventId, Instant keepUntil);

    /** The card did not go out: the event's next delivery may try again. */
    void release(String eventId);
}
