package dev.awoooi.privacy;

import java.util.Map;
import java.util.Optional;

/** Port: the only place raw values live, encrypted, per incident, with an expiry. */
public interface Vault {
    /**
     * The incident's label for each value ({@code typeByValue}: value → pseudonym type), allocating the missing ones
     * atomically: however many redactions of one incident run side by side, one value gets one label and one label
     * stands for one value. Returns value → label. A label is revealable before it is returned.
     */
    Map<String, String> labels(String incidentId, Map<String, String> typeByValue);

    /** Every label of the incident with its raw value (for the privacy checks that read the whole vault). */
    Map<String, String> open(String incidentId);

    /** The raw value behind exactly this label of exactly this incident. */
    Optional<String> reveal(String incidentId, String label);
}
