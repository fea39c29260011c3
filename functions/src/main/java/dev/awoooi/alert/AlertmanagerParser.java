package dev.awoooi.alert;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Parses and validates Alertmanager's webhook payload (version 4). Every rejection names the offending field. */
public final class AlertmanagerParser {
    private static final int MAX_ALERTS = 1000;
    private final ObjectMapper json;

    public AlertmanagerParser(ObjectMapper json) {
        this.json = json;
    }

    public AlertBatch parse(String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidAlertException("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidAlertException("body must be a JSON object");
        }
        String version = text(root, "version", true);
        if (!"4".equals(version)) {
            throw new InvalidAlertException("unsupported Alertmanager payload version '" + version + "' (expected \"4\")");
        }
        JsonNode alerts = root.get("alerts");
        if (alerts == null || !alerts.isArray() || alerts.isEmpty()) {
            throw new InvalidAlertException("'alerts' must be a non-empty array");
        }
        if (alerts.size() > MAX_ALERTS) {
            throw new InvalidAlertException("'alerts' holds " + alerts.size() + " alerts; at most " + MAX_ALERTS + " per delivery");
        }
        List<Alert> parsed = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            parsed.add(alert(alerts.get(i), "alerts[" + i + "]"));
        }
        JsonNode truncated = root.get("truncatedAlerts");
        if (truncated != null && !truncated.isNull() && !truncated.isIntegralNumber()) {
            throw new InvalidAlertException("'truncatedAlerts' must be an integer");
        }
        return new AlertBatch("alertmanager", text(root, "receiver", false), text(root, "groupKey", false),
                truncated == null ? 0 : truncated.asInt(), parsed);
    }

    private Alert alert(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new InvalidAlertException(path + " must be an object");
        }
        String status = text(node, "status", true, path);
        if (!status.equals("firing") && !status.equals("resolved")) {
            throw new InvalidAlertException(path + ".status must be 'firing' or 'resolved'");
        }
        Map<String, String> labels = stringMap(node.get("labels"), path + ".labels", true);
        if (!labels.containsKey("alertname")) {
            throw new InvalidAlertException(path + ".labels.alertname is required");
        }
        Map<String, String> annotations = stringMap(node.get("annotations"), path + ".annotations", false);
        Instant startsAt = instant(node, "startsAt", path, true);
        Instant endsAt = instant(node, "endsAt", path, false);
        String fingerprint = text(node, "fingerprint", false, path);
        if (fingerprint == null || fingerprint.isBlank()) {
            fingerprint = fingerprintOf(labels);
        } else if (!fingerprint.matches("[0-9a-fA-F]{1,64}")) {
            throw new InvalidAlertException(path + ".fingerprint must be hexadecimal");
        }
        return new Alert(status, labels, annotations, startsAt, endsAt, text(node, "generatorURL", false, path), fingerprint);
    }

    /** Alertmanager always sends a fingerprint; for hand-made payloads derive one from the label set as it does. */
    static String fingerprintOf(Map<String, String> labels) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(labels).forEach((k, v) -> sha.update((k + "\u0000" + v + "\u0000").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> stringMap(JsonNode node, String path, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidAlertException(path + " is required");
            }
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidAlertException(path + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var field : node.properties()) {
            if (!field.getValue().isString()) {
                throw new InvalidAlertException(path + "." + field.getKey() + " must be a string");
            }
            out.put(field.getKey(), field.getValue().asString());
        }
        return out;
    }

    private static Instant instant(JsonNode node, String field, String path, boolean required) {
        String value = text(node, field, required, path);
        if (value == null || value.isBlank() || value.startsWith("0001-01-01")) {
            if (required) {
                throw new InvalidAlertException(path + "." + field + " is required");
            }
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException again) {
                throw new InvalidAlertException(path + "." + field + " must be an RFC 3339 timestamp");
            }
        }
    }

    private static String text(JsonNode node, String field, boolean required) {
        return text(node, field, required, "");
    }

    private static String text(JsonNode node, String field, boolean required, String path) {
        JsonNode value = node.get(field);
        String name = path.isEmpty() ? "'" + field + "'" : path + "." + field;
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidAlertException(name + " is required");
            }
            return null;
        }
        if (!value.isString()) {
            throw new InvalidAlertException(name + " must be a string");
        }
        return value.asString();
    }
}
