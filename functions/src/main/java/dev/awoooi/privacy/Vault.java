package dev.awoooi.privacy;

import java.util.Map;
import java.util.Optional;

/** Port: the only place raw values live, encrypted, per incident, with an expiry. */
public interface Vault {
    /** Every label of the incident with its raw value. */
    Map<String, String> open(String incidentId);

    void keep(String incidentId, Map<String, String> valueByLabel);

    /** The raw value behind exactly this label of exactly this incident. */
    Optional<String> reveal(String incidentId, String label);
}
