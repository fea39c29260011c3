package dev.awoooi.alert;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.awoooi.alert.JsonFields.text;

/**
 * AWOOOI's own schema for every other sender (documented in the README): {@code name} and {@code startsAt} are
 * required; {@code service}, {@code severity}, {@code summary} and {@code description} are shorthands for the
 * labels and annotations Prometheus rules use.
 */
public final class GenericAlertParser implements AlertParser {
    private final ObjectMapper json;

    public GenericAlertParser(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public AlertBatch parse(String body) {
        JsonNode root = JsonFields.object(json, body);
        String source = text(root, "source", false, "");
        if (source != null && !source.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new InvalidAlertException("'source' must be 1-64 letters, digits, dots, dashes or underscores");
        }
        JsonNode alerts = JsonFields.alerts(root);
        List<Alert> parsed = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            parsed.add(alert(JsonFields.object(alerts.get(i), "alerts[" + i + "]"), "alerts[" + i + "]"));
        }
        return new AlertBatch(source == null ? "generic" : "generic:" + source, null, null, text(root, "group", false, ""), 0,
                Map.of(), Map.of(), Map.of(), null, null, parsed);
    }

    private static Alert alert(JsonNode node, String path) {
        Map<String, String> labels = new LinkedHashMap<>(JsonFields.stringMap(node.get("labels"), path + ".labels", false));
        Map<String, String> annotations = new LinkedHashMap<>(JsonFields.stringMap(node.get("annotations"), path + ".annotations", false));
        String name = text(node, "name", true, path);
        if (name.isBlank()) {
            throw new InvalidAlertException(path + ".name must not be blank");
        }
        labels.put("alertname", name);
        putIfPresent(labels, "service", text(node, "service", false, path));
        putIfPresent(labels, "severity", text(node, "severity", false, path));
        putIfPresent(annotations, "summary", text(node, "summary", false, path));
        putIfPresent(annotations, "description", text(node, "description", false, path));
        String url = text(node, "url", false, path);
        return new Alert(JsonFields.status(node, path, false), labels, annotations, JsonFields.instant(node, "startsAt", path, true),
                JsonFields.instant(node, "endsAt", path, false), url, JsonFields.fingerprint(node, path, labels), Map.of());
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }
}
