package dev.awoooi.alert;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.awoooi.alert.JsonFields.text;

/**
 * Grafana unified alerting's webhook (payload version "1"): Alertmanager's shape plus {@code orgId},
 * {@code title}, {@code state}, {@code message} and per alert {@code values}, {@code valueString},
 * {@code silenceURL}, {@code dashboardURL}, {@code panelURL} and {@code imageURL}.
 */
public final class GrafanaParser implements AlertParser {
    private static final List<String> LINKS = List.of("silenceURL", "dashboardURL", "panelURL", "imageURL");
    private final ObjectMapper json;

    public GrafanaParser(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public AlertBatch parse(String body) {
        JsonNode root = JsonFields.object(json, body);
        String version = text(root, "version", false, "");
        if (version != null && !"1".equals(version)) {
            throw new InvalidAlertException("unsupported Grafana webhook version '" + version + "' (expected \"1\")");
        }
        JsonNode alerts = JsonFields.alerts(root);
        List<Alert> parsed = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            String path = "alerts[" + i + "]";
            JsonNode node = JsonFields.object(alerts.get(i), path);
            Map<String, String> context = new LinkedHashMap<>();
            for (String link : LINKS) {
                String value = text(node, link, false, path);
                if (value != null && !value.isBlank()) {
                    context.put(link, value);
                }
            }
            String valueString = text(node, "valueString", false, path);
            if (valueString != null && !valueString.isBlank()) {
                context.put("valueString", valueString);
            }
            JsonFields.numberMap(node.get("values"), path + ".values").forEach((k, v) -> context.put("values." + k, v));
            parsed.add(AlertmanagerParser.alert(node, path, context));
        }
        // Checked for type only: the rendered title and message repeat what the alerts carry.
        text(root, "title", false, "");
        text(root, "message", false, "");
        return new AlertBatch("grafana", text(root, "receiver", false, ""), JsonFields.status(root, "", false),
                text(root, "groupKey", false, ""), JsonFields.count(root, "truncatedAlerts", ""),
                JsonFields.stringMap(root.get("groupLabels"), "groupLabels", false),
                JsonFields.stringMap(root.get("commonLabels"), "commonLabels", false),
                JsonFields.stringMap(root.get("commonAnnotations"), "commonAnnotations", false),
                text(root, "externalURL", false, ""), JsonFields.id(root, "orgId"), parsed);
    }
}
