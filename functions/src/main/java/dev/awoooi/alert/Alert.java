package dev.awoooi.alert;

import java.time.Instant;
import java.util.Map;

/**
 * One alert as a monitoring system fired it (raw: may carry personal data until the Privacy Shield runs).
 * {@code context} holds what a source adds beyond labels and annotations: Grafana's silence, dashboard, panel and
 * image links and its evaluated {@code values} ({@code values.A}), the generic schema's link.
 */
public record Alert(
        String status,
        Map<String, String> labels,
        Map<String, String> annotations,
        Instant startsAt,
        Instant endsAt,
        String generatorUrl,
        String fingerprint,
        Map<String, String> context) {

    public Alert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        context = context == null ? Map.of() : Map.copyOf(context);
    }

    public boolean resolved() {
        return "resolved".equals(status);
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
    public String firingKey() {
        return "alert#" + fingerprint + "#" + startsAt;
    }

    /** A firing and its resolution are separate deliveries, each deduplicated on its own. */
    public String dedupeKey() {
        return resolved() ? firingKey() + "#resolved" : firingKey();
    }
}
