package dev.awoooi.alert;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.awoooi.alert.JsonFields.text;

/** Alertmanager's webhook payload, version 4, every field of it. */
public final class AlertmanagerParser implements AlertParser {
    private final ObjectMapper json;

    public AlertmanagerParser(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public AlertBatch parse(String body) {
        JsonNode root = JsonFields.object(json, body);
        String version = text(root, "version", true, "");
        if (!"4".equals(version)) {
            throw new InvalidAlertException("unsupported Alertmanager payload version '" + version + "' (expected \"4\")");
        }
        JsonNode alerts = JsonFields.alerts(root);
        List<Alert> parsed = new ArrayList<>();
        String external = text(root, "externalURL", false, "");
        // where this Alertmanager is: a card links to its new-silence page for the alert
        Map<String, String> context = external == null || external.isBlank() ? Map.of() : Map.of("externalURL", external);
        for (int i = 0; i < alerts.size(); i++) {
            parsed.add(alert(alerts.get(i), "alerts[" + i + "]", context));
        }
        return new AlertBatch("alertmanager", text(root, "receiver", false, ""), JsonFields.status(root, "", false),
                text(root, "groupKey", false, ""), JsonFields.count(root, "truncatedAlerts", ""),
                JsonFields.stringMap(root.get("groupLabels"), "groupLabels", false),
                JsonFields.stringMap(root.get("commonLabels"), "commonLabels", false),
                JsonFields.stringMap(root.get("commonAnnotations"), "commonAnnotations", false),
                text(root, "externalURL", false, ""), null, parsed);
    }

    /** One alert in Alertmanager's shape, which Grafana's webhook shares. */
    static Alert alert(JsonNode node, String path, Map<String, String> context) {
        JsonFields.object(node, path);
        String status = JsonFields.status(node, path, true);
        Map<String, String> labels = JsonFields.stringMap(node.get("labels"), path + ".labels", true);
        if (!labels.containsKey("alertname")) {
            throw new InvalidAlertException(path + ".labels.alertname is required");
        }
        Map<String, String> annotations = JsonFields.stringMap(node.get("annotations"), path + ".annotations", false);
        return new Alert(status, labels, annotations, JsonFields.instant(node, "startsAt", path, true),
                JsonFields.instant(node, "endsAt", path, false), text(node, "generatorURL", false, path),
                JsonFields.fingerprint(node, path, labels), context);
    }
}
