package dev.awoooi.notify;

import java.time.Instant;

/**
 * Port: which events have had their card, with the semantics of Powertools' idempotency. A delivery claims the event
 * IN PROGRESS until its own deadline and marks it DELIVERED once the chat took the card; a delivery that dies in
 * between leaves a claim that expires with it, so the redelivered event is carded then.
 */
public interface CardLedger {
    enum Claim {
        /** This delivery cards the event. */
        TAKEN,
        /** The card went out before: this is a redelivery. */
        DELIVERED,
        /** Another delivery is carding it right now. */
        IN_PROGRESS
    }

    Claim claim(String eventId, Instant until);

    void delivered(String eventId, Instant keepUntil);

    /** The card did not go out: the event's next delivery may try again. */
    void release(String eventId);
}
