package dev.awoooi.alert;

import java.time.Instant;
import java.util.Map;

/** One alert as a monitoring system fired it (raw: may carry personal data until the Privacy Shield runs). */
public record Alert(
        String status,
        Map<String, String> labels,
        Map<String, String> annotations,
        Instant startsAt,
        Instant endsAt,
        String generatorUrl,
        String fingerprint) {

    public Alert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public String name() {
        return labels.getOrDefault("alertname", "unnamed alert");
    }

    /** The service the alert is about, by the label conventions Prometheus rules use. */
    public String service() {
        for (String key : new String[] {"service", "app", "app_kubernetes_io_name", "deployment", "statefulset", "job"}) {
            String value = labels.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    public String summary() {
        String summary = annotations.get("summary");
        if (summary == null) {
            summary = annotations.get("description");
        }
        return summary == null ? name() : summary;
    }

    /** Alertmanager delivers at least once; the same firing is the same fingerprint and start. */
    public String dedupeKey() {
        return "alert#" + fingerprint + "#" + startsAt;
    }
}
