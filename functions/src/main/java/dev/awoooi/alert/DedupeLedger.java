package dev.awoooi.alert;

import java.time.Duration;
import java.util.Optional;

/** Port: remembers which alert firings became which incident, for long enough to absorb redeliveries. */
public interface DedupeLedger {
    /** Claims {@code key} for {@code incidentId}; returns the incident that already holds it, if any. */
    Optional<String> claim(String key, String incidentId, Duration ttl);

    /** The incident holding an unexpired claim on {@code key}. */
    Optional<String> holder(String key);

    /** Gives a claim back when the incident it was for could not be recorded. */
    void release(String key, String incidentId);
}
