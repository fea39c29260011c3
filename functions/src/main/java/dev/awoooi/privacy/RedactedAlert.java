package dev.awoooi.privacy;

import java.time.Instant;
import java.util.Map;

/** Work item for analyze: the alert after the Privacy Shield. Carries pseudonyms only. */
public record RedactedAlert(
        String incidentId,
        String status,
        String fingerprint,
        String alertName,
        String service,
        String summary,
        Map<String, String> labels,
        Map<String, String> annotations,
        Map<String, String> context,
        Instant startsAt,
        Instant endsAt) {
}
