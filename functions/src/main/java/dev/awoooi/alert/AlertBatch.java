package dev.awoooi.alert;

import java.util.List;

/** One webhook delivery: a group of alerts from one source. */
public record AlertBatch(String source, String receiver, String groupKey, int truncatedAlerts, List<Alert> alerts) {
    public AlertBatch {
        alerts = List.copyOf(alerts);
    }
}
