package dev.awoooi.alert;

import java.time.Duration;
import java.util.Optional;

/**
 * Port: which incident an alert group or a service is currently gathering into. Keys are blinded (keyed hashes)
 * by the caller, so no label value is stored in the clear.
 */
public interface OpenIncidents {
    Optional<String> find(String key);

    /** Points {@code key} at {@code incidentId} until {@code window} from now (a sliding window). */
    void remember(String key, String incidentId, Duration window);
}
