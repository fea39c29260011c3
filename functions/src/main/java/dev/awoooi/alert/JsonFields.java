package dev.awoooi.alert;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Strict reading of webhook JSON: every rejection names the field path and what was expected. */
final class JsonFields {
    static final int MAX_ALERTS = 1000;
    private static final int MAX_TEXT = 64 * 1024;

    private JsonFields() {
    }

    static JsonNode object(ObjectMapper json, String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidAlertException("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidAlertException("body must be a JSON object");
        }
        return root;
    }

    static JsonNode alerts(JsonNode root) {
        JsonNode alerts = root.get("alerts");
        if (alerts == null || !alerts.isArray() || alerts.isEmpty()) {
            throw new InvalidAlertException("'alerts' must be a non-empty array");
        }
        if (alerts.size() > MAX_ALERTS) {
            throw new InvalidAlertException("'alerts' holds " + alerts.size() + " alerts; at most " + MAX_ALERTS + " per delivery");
        }
        return alerts;
    }

    static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidAlertException(path + " must be an object");
        }
        return node;
    }

    static String status(JsonNode node, String path, boolean required) {
        String status = text(node, "status", required, path);
        if (status == null) {
            return "firing";
        }
        if (!status.equals("firing") && !status.equals("resolved")) {
            throw new InvalidAlertException(path + ".status must be 'firing' or 'resolved'");
        }
        return status;
    }

    static Map<String, String> stringMap(JsonNode node, String path, boolean required) {
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

    /** Numbers keyed by name (Grafana's {@code values}), kept as their decimal text. */
    static Map<String, String> numberMap(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidAlertException(path + " must be an object of numbers");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var field : node.properties()) {
            if (!field.getValue().isNumber()) {
                throw new InvalidAlertException(path + "." + field.getKey() + " must be a number");
            }
            out.put(field.getKey(), field.getValue().asString());
        }
        return out;
    }

    static Instant instant(JsonNode node, String field, String path, boolean required) {
        String value = text(node, field, required, path);
        // Go's zero time is how Alertmanager says "not set".
        if (value == null || value.isBlank() || value.startsWith("0001-01-01")) {
            if (required) {
                throw new InvalidAlertException(path + "." + field + " is required");
            }
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidAlertException(path + "." + field + " must be an RFC 3339 timestamp");
        }
    }

    static String text(JsonNode node, String field, boolean required, String path) {
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
        if (value.asString().length() > MAX_TEXT) {
            throw new InvalidAlertException(name + " is longer than " + MAX_TEXT + " characters");
        }
        return value.asString();
    }

    static int count(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
            throw new InvalidAlertException((path.isEmpty() ? "'" + field + "'" : path + "." + field) + " must be a non-negative integer");
        }
        return value.asInt();
    }

    static Long id(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidAlertException("'" + field + "' must be an integer");
        }
        return value.asLong();
    }

    static String fingerprint(JsonNode node, String path, Map<String, String> labels) {
        String fingerprint = text(node, "fingerprint", false, path);
        if (fingerprint == null || fingerprint.isBlank()) {
            return fingerprintOf(labels);
        }
        if (!fingerprint.matches("[0-9a-fA-F]{1,64}")) {
            throw new InvalidAlertException(path + ".fingerprint must be hexadecimal");
        }
        return fingerprint.toLowerCase(java.util.Locale.ROOT);
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
}
