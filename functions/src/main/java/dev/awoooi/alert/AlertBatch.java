package dev.awoooi.alert;

import java.util.List;
import java.util.Map;

/**
 * One webhook delivery: a group of alerts from one source, with the group's own fields. {@code truncatedAlerts}
 * counts alerts the sender left out (Alertmanager's {@code max_alerts}); the incident notes it.
 */
public record AlertBatch(
        String source,
        String receiver,
        String status,
        String groupKey,
        int truncatedAlerts,
        Map<String, String> groupLabels,
        Map<String, String> commonLabels,
        Map<String, String> commonAnnotations,
        String externalUrl,
        Long orgId,
        List<Alert> alerts) {

    public AlertBatch {
        groupLabels = groupLabels == null ? Map.of() : Map.copyOf(groupLabels);
        commonLabels = commonLabels == null ? Map.of() : Map.copyOf(commonLabels);
        commonAnnotations = commonAnnotations == null ? Map.of() : Map.copyOf(commonAnnotations);
        alerts = List.copyOf(alerts);
    }
}
