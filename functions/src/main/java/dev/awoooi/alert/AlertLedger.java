package dev.awoooi.alert;

import dev.awoooi.incident.Incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port: the front door's records, with the semantics of Powertools' idempotency. A delivery claims each alert
 * IN PROGRESS until its own deadline, and marks the claim COMPLETED (for the dedupe window) only once the alert is
 * on its way; a delivery that dies in between leaves a claim that expires with it, so the sender's retry records the
 * alert. Group pointers say which incident an alert group or a service is gathering into; keys are blinded (keyed
 * hashes) by the caller, so no label value is stored in the clear.
 */
public interface AlertLedger {
    /** Who holds a key, and whether that delivery finished. */
    record Holder(String incidentId, boolean completed) {
    }

    /** A group pointer that has not expired. */
    record Pointer(String incidentId, Instant expiresAt) {
    }

    /** What opening an incident came to. */
    sealed interface Opening {
        record Opened() implements Opening {
        }

        /** Another delivery holds the alert's claim. */
        record Held(Holder holder) implements Opening {
        }

        /** Another delivery pointed one of the group's keys at its own new incident first: join that one instead. */
        record GroupTaken() implements Opening {
        }
    }

    /** The unexpired pointers among {@code keys}. */
    Map<String, Pointer> pointers(List<String> keys);

    /** Claims {@code key} for {@code incidentId} in progress until {@code until}; the holder if it is taken. */
    Optional<Holder> claim(String key, String incidentId, Instant until);

    /**
     * In one atomic write: claims {@code key} in progress until {@code claimUntil}, creates {@code incident}, and
     * points every group key at it until {@code pointersUntil}, each only if it points nowhere live or still points
     * where {@code replacing} says it did (an incident that has since ended).
     */
    Opening open(String key, Instant claimUntil, Incident incident, List<String> groupKeys, Map<String, Pointer> replacing,
                 Instant pointersUntil);

    /**
     * Slides the window of the keys that point at {@code incidentId} to {@code until} and points the keys that
     * pointed nowhere at it; a key another live incident holds stays with it. {@code seen} is what
     * {@link #pointers} answered. True if it changed a pointer.
     */
    boolean extend(List<String> groupKeys, Map<String, Pointer> seen, String incidentId, Instant until);

    /** The delivery finished: the claim is COMPLETED and recognises redeliveries until {@code until}. */
    void complete(String key, String incidentId, Instant until);

    /** Gives an in-progress claim back when the alert could not be sent on, so the sender's retry records it. */
    void release(String key, String incidentId);

    /** The incident holding an unexpired claim on {@code key}. */
    Optional<String> holder(String key);
}
