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

    /** Longest annotation or context value a queue message carries: analysis reads the incident, not the prose. */
    static final int MAX_VALUE_CHARS = 4096;

    /** This alert with long values cut, so the message stays far below SQS's 256 KB whatever the alert held. */
    public RedactedAlert bounded() {
        return new RedactedAlert(incidentId, status, fingerprint, cut(alertName), cut(service), cut(summary), cut(labels),
                cut(annotations), cut(context), startsAt, endsAt);
    }

    private static Map<String, String> cut(Map<String, String> values) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, cut(v)));
        return out;
    }

    private static String cut(String value) {
        return value == null || value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "…[cut]";
    }
}
