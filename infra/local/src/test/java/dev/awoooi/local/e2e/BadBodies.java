package dev.awoooi.local.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Generates request bodies that are wrong in one known way each, so every one must be refused: broken JSON, wrong
 * roots, a required field removed or of the wrong type, bad values, too many alerts, too large, wrong content
 * type. Valid parts around the fault are randomised so no two bodies are alike.
 */
final class BadBodies {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private record Fault(String source, String why, BiConsumer<ObjectNode, Random> apply) {
    }

    private BadBodies() {
    }

    static List<BadBody> generate(Random random, int count) {
        List<Fault> faults = faults();
        List<BadBody> bodies = new ArrayList<>();
        while (bodies.size() < count) {
            int kind = random.nextInt(10);
            String source = List.of("alertmanager", "grafana", "generic").get(random.nextInt(3));
            ObjectNode valid = valid(source, random);
            String path = "/alerts/" + source;
            if (kind == 0) {
                String text = valid.toString();
                int cut = 1 + random.nextInt(text.length() - 1);
                bodies.add(new BadBody(path, "application/json", text.substring(0, cut), "truncated JSON at " + cut));
            } else if (kind == 1) {
                bodies.add(new BadBody(path, "application/json", garbage(random), "random text"));
            } else if (kind == 2) {
                List<String> roots = List.of("[]", "\"alert\"", "42", "null", "true", "[" + valid + "]", "", "{}",
                        "[".repeat(5000) + "]".repeat(5000));
                String root = roots.get(random.nextInt(roots.size()));
                bodies.add(new BadBody(path, "application/json", root, "wrong root " + root.substring(0, Math.min(20, root.length()))));
            } else if (kind == 3 && random.nextInt(20) == 0) {
                bodies.add(new BadBody(path, "application/json", "{\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}", "over 5 MB"));
            } else if (kind == 4) {
                bodies.add(new BadBody(path, random.nextBoolean() ? "text/plain" : "application/x-www-form-urlencoded", valid.toString(),
                        "wrong content type"));
            } else {
                List<Fault> applicable = faults.stream().filter(f -> f.source().equals(source) || f.source().equals("any")).toList();
                Fault fault = applicable.get(random.nextInt(applicable.size()));
                fault.apply().accept(valid, random);
                bodies.add(new BadBody(path, "application/json", valid.toString(), source + ": " + fault.why()));
            }
        }
        return bodies;
    }

    private static String garbage(Random random) {
        StringBuilder sb = new StringBuilder();
        int length = 1 + random.nextInt(300);
        for (int i = 0; i < length; i++) {
            sb.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
        }
        String text = sb.toString();
        try {
            JsonNode parsed = JSON.readTree(text);
            return parsed != null && parsed.isObject() ? text + "}" : text;
        } catch (RuntimeException e) {
            return text;
        }
    }

    private static ObjectNode valid(String source, Random random) {
        ObjectNode root = F.objectNode();
        ObjectNode alert = F.objectNode();
        String name = "Alert" + random.nextInt(1000);
        if (source.equals("generic")) {
            root.put("source", "fuzz");
            alert.put("name", name).put("service", "svc-" + random.nextInt(50)).put("summary", "summary " + random.nextLong());
        } else {
            root.put("version", source.equals("grafana") ? "1" : "4").put("status", "firing").put("receiver", "awoooi")
                    .put("groupKey", "{}:{alertname=\"" + name + "\"}").put("truncatedAlerts", 0).put("externalURL", "http://am:9093");
            root.putObject("groupLabels").put("alertname", name);
            root.putObject("commonLabels").put("alertname", name);
            root.putObject("commonAnnotations");
            alert.put("status", "firing");
            alert.putObject("labels").put("alertname", name).put("service", "svc-" + random.nextInt(50));
            alert.putObject("annotations").put("summary", "summary " + random.nextLong());
            alert.put("fingerprint", Long.toHexString(random.nextLong()));
            if (source.equals("grafana")) {
                root.put("orgId", 1).put("title", "[FIRING:1] " + name).put("message", "m");
                alert.putObject("values").put("A", random.nextDouble());
                alert.put("silenceURL", "http://grafana/alerting/silence/new");
            }
        }
        alert.put("startsAt", "2026-11-21T0" + random.nextInt(10) + ":00:00Z");
        root.putArray("alerts").add(alert);
        return root;
    }

    private static ObjectNode firstAlert(ObjectNode root) {
        return (ObjectNode) root.get("alerts").get(0);
    }

    private static List<Fault> faults() {
        List<Fault> faults = new ArrayList<>();
        faults.add(new Fault("any", "alerts missing", (root, r) -> root.remove("alerts")));
        faults.add(new Fault("any", "alerts empty", (root, r) -> root.putArray("alerts")));
        faults.add(new Fault("any", "alerts of the wrong type", (root, r) -> root.set("alerts", r.nextBoolean() ? F.objectNode() : F.textNode("a"))));
        faults.add(new Fault("any", "an alert that is not an object", (root, r) -> ((ArrayNode) root.get("alerts")).set(0,
                r.nextBoolean() ? F.textNode("alert") : F.numberNode(7))));
        faults.add(new Fault("any", "too many alerts", (root, r) -> {
            ArrayNode alerts = (ArrayNode) root.get("alerts");
            JsonNode one = alerts.get(0);
            for (int i = 0; i < 1000; i++) {
                alerts.add(one.deepCopy());
            }
        }));
        faults.add(new Fault("any", "startsAt missing", (root, r) -> firstAlert(root).remove("startsAt")));
        faults.add(new Fault("any", "startsAt not a timestamp", (root, r) -> firstAlert(root).put("startsAt",
                List.of("yesterday", "2026-13-40T00:00:00Z", "1732147200", "", "2026-11-21 03:12:00").get(r.nextInt(5)))));
        faults.add(new Fault("any", "startsAt of the wrong type", (root, r) -> firstAlert(root).set("startsAt",
                r.nextBoolean() ? F.numberNode(1732147200) : F.arrayNode())));
        faults.add(new Fault("any", "endsAt not a timestamp", (root, r) -> firstAlert(root).put("endsAt", "soon")));
        faults.add(new Fault("any", "status unknown", (root, r) -> firstAlert(root).put("status", List.of("burning", "FIRING", "ok").get(r.nextInt(3)))));
        faults.add(new Fault("any", "labels of the wrong type", (root, r) -> firstAlert(root).set("labels", r.nextBoolean() ? F.textNode("x") : F.arrayNode())));
        faults.add(new Fault("any", "a label value that is not a string", (root, r) -> {
            ObjectNode labels = firstAlert(root).has("labels") && firstAlert(root).get("labels").isObject()
                    ? (ObjectNode) firstAlert(root).get("labels") : firstAlert(root).putObject("labels");
            labels.set("team", r.nextBoolean() ? F.numberNode(3) : F.objectNode());
        }));
        faults.add(new Fault("any", "an annotation that is not a string", (root, r) -> firstAlert(root).putObject("annotations")
                .set("summary", nonString(r))));
        faults.add(new Fault("any", "fingerprint not hex", (root, r) -> firstAlert(root).put("fingerprint", "not-hex!" + r.nextInt())));
        faults.add(new Fault("any", "a text field far too long", (root, r) -> firstAlert(root)
                .put(root.has("source") ? "url" : "generatorURL", "h".repeat(70_000))));
        for (String source : List.of("alertmanager", "grafana")) {
            faults.add(new Fault(source, "version wrong", (root, r) -> root.put("version", r.nextBoolean() ? "3" : "99")));
            faults.add(new Fault(source, "version of the wrong type", (root, r) -> root.set("version", F.numberNode(4))));
            faults.add(new Fault(source, "labels missing", (root, r) -> firstAlert(root).remove("labels")));
            faults.add(new Fault(source, "alertname missing", (root, r) -> ((ObjectNode) firstAlert(root).get("labels")).remove("alertname")));
            faults.add(new Fault(source, "alert status missing", (root, r) -> firstAlert(root).remove("status")));
            faults.add(new Fault(source, "truncatedAlerts not a count", (root, r) -> root.set("truncatedAlerts",
                    List.<JsonNode>of(F.textNode("many"), F.numberNode(-1), F.numberNode(1.5)).get(r.nextInt(3)))));
            faults.add(new Fault(source, "groupLabels of the wrong type", (root, r) -> root.set("groupLabels", F.textNode("g"))));
            faults.add(new Fault(source, "commonAnnotations with a non-string", (root, r) -> root.putObject("commonAnnotations").put("n", 1)));
            faults.add(new Fault(source, "receiver of the wrong type", (root, r) -> root.set("receiver", nonString(r))));
            faults.add(new Fault(source, "externalURL of the wrong type", (root, r) -> root.set("externalURL", nonString(r))));
        }
        faults.add(new Fault("grafana", "values not numbers", (root, r) -> firstAlert(root).putObject("values").put("A", "high")));
        faults.add(new Fault("grafana", "orgId not an integer", (root, r) -> root.put("orgId", "one")));
        faults.add(new Fault("grafana", "silenceURL of the wrong type", (root, r) -> firstAlert(root).set("silenceURL", nonString(r))));
        faults.add(new Fault("generic", "name missing", (root, r) -> firstAlert(root).remove("name")));
        faults.add(new Fault("generic", "name blank", (root, r) -> firstAlert(root).put("name", "  ")));
        faults.add(new Fault("generic", "source not a name", (root, r) -> root.put("source", "has spaces and / slashes")));
        faults.add(new Fault("generic", "service of the wrong type", (root, r) -> firstAlert(root).set("service", nonString(r))));
        return faults;
    }

    private static JsonNode nonString(Random random) {
        List<JsonNode> types = List.of(F.numberNode(42), F.booleanNode(true), F.arrayNode(), F.objectNode());
        return types.get(random.nextInt(types.size()));
    }
}
