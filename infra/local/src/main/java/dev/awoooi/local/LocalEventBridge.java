package dev.awoooi.local;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.event.ruler.Machine;

/**
 * The EventBridge the functions talk to locally: PutEvents over AWS JSON 1.1, so they use the real
 * EventBridgeClient with an endpoint override. Each event is matched by AWS's own event-ruler against the
 * template's rules on its bus, and delivered to the rules' queue targets as the full event JSON, which is what
 * EventBridge sends to an SQS target. Request signatures are not checked: nothing here is a security boundary.
 */
public final class LocalEventBridge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalEventBridge.class);
    private static final String JSON_1_1 = "application/x-amz-json-1.1";
    private static final int MAX_ENTRIES = 10;

    private final Map<String, Machine> machineByBus;
    private final Map<String, List<QueueTarget>> targetsByRule;
    private final SqsClient sqs;
    private final Function<String, String> queueUrlByName;
    private final String region;
    private final String accountId;
    private final HttpServer server;
    private final ExecutorService executor;

    /** A rule target: the queue the event goes to and, when the target sets one, the constant Input sent instead. */
    record QueueTarget(String id, String queueName, String input) {
    }

    private LocalEventBridge(Map<String, Machine> machineByBus, Map<String, List<QueueTarget>> targetsByRule,
                             SqsClient sqs, Function<String, String> queueUrlByName, String region, String accountId) throws IOException {
        this.machineByBus = machineByBus;
        this.targetsByRule = targetsByRule;
        this.sqs = sqs;
        this.queueUrlByName = queueUrlByName;
        this.region = region;
        this.accountId = accountId;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.executor = Executors.newFixedThreadPool(4, Thread.ofPlatform().name("eventbridge-", 0).daemon().factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Reads the template's buses and rules and starts listening.
     *
     * @param queueUrlByName the URL of a provisioned queue given its name
     */
    public static LocalEventBridge start(TemplateModel template, Intrinsics intrinsics, SqsClient sqs,
                                         Function<String, String> queueUrlByName) {
        Map<String, Machine> machines = new HashMap<>();
        machines.put("default", Machine.builder().build());
        template.resourcesOfType(TemplateModel.EVENT_BUS)
                .forEach(bus -> machines.put(intrinsics.eventBusName(bus.logicalId()), Machine.builder().build()));
        Map<String, List<QueueTarget>> targets = new HashMap<>();
        for (TemplateModel.Resource rule : template.resourcesOfType(TemplateModel.RULE)) {
            Map<String, Object> p = TemplateModel.map(intrinsics.resolve(rule.properties()));
            String name = intrinsics.ruleName(rule.logicalId());
            if (p.get("EventPattern") == null || "DISABLED".equals(p.get("State"))) {
                log.info("rule {} routes nothing locally (no event pattern, or disabled)", name);
                continue;
            }
            List<QueueTarget> queues = new ArrayList<>();
            for (Object t : (List<?>) p.getOrDefault("Targets", List.of())) {
                Map<String, Object> target = TemplateModel.map(t);
                String arn = String.valueOf(target.get("Arn"));
                if (!arn.startsWith("arn:aws:sqs:")) {
                    log.warn("rule {} target {} is not an SQS queue; locally rules deliver to queues only", name, target.get("Id"));
                    continue;
                }
                if (target.get("InputPath") != null || target.get("InputTransformer") != null) {
                    log.warn("rule {} target {}: InputPath and InputTransformer are not applied locally", name, target.get("Id"));
                }
                Object input = target.get("Input");
                queues.add(new QueueTarget(String.valueOf(target.get("Id")), Intrinsics.nameOfArn(arn),
                        input == null ? null : input instanceof String s ? s : Json.write(input)));
            }
            String bus = intrinsics.ruleBusName(rule.logicalId());
            Machine machine = machines.get(bus);
            if (machine == null) {
                throw new IllegalArgumentException("rule " + name + " listens on bus " + bus + ", which the template does not declare");
            }
            try {
                machine.addRule(name, Provisioner.pattern(p.get("EventPattern")));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("rule " + name + " has an event pattern event-ruler rejects", e);
            }
            targets.put(name, List.copyOf(queues));
        }
        try {
            LocalEventBridge bridge = new LocalEventBridge(Map.copyOf(machines), Map.copyOf(targets), sqs, queueUrlByName,
                    intrinsics.region(), intrinsics.accountId());
            bridge.server.start();
            log.info("EventBridge (PutEvents) at {} routing {} rules", bridge.endpoint(), targets.size());
            return bridge;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the local EventBridge endpoint", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod()) || !"AWSEvents.PutEvents".equals(target)) {
                reply(exchange, 400, error("UnknownOperationException", "the local EventBridge implements PutEvents only"));
                return;
            }
            JsonNode request;
            try (InputStream body = exchange.getRequestBody()) {
                request = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                reply(exchange, 400, error("SerializationException", "the request body is not JSON"));
                return;
            }
            JsonNode entries = request == null ? null : request.get("Entries");
            if (entries == null || !entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
                reply(exchange, 400, error("ValidationException", "Entries must hold 1 to " + MAX_ENTRIES + " events"));
                return;
            }
            for (JsonNode entry : entries) {
                String bus = Intrinsics.busNameOf(text(entry, "EventBusName"));
                if (!machineByBus.containsKey(bus)) {
                    reply(exchange, 400, error("ResourceNotFoundException", "Event bus " + bus + " does not exist."));
                    return;
                }
            }
            ObjectNode response = Json.MAPPER.createObjectNode();
            ArrayNode results = response.putArray("Entries");
            int failed = 0;
            for (JsonNode entry : entries) {
                ObjectNode result = put(entry);
                if (result.has("ErrorCode")) {
                    failed++;
                }
                results.add(result);
            }
            response.put("FailedEntryCount", failed);
            reply(exchange, 200, response);
        } catch (RuntimeException e) {
            log.error("PutEvents failed", e);
            reply(exchange, 500, error("InternalException", "the local EventBridge failed; see its log"));
        }
    }

    private ObjectNode put(JsonNode entry) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        String source = text(entry, "Source");
        String detailType = text(entry, "DetailType");
        String detailText = text(entry, "Detail");
        if (source == null || detailType == null || detailText == null) {
            return result.put("ErrorCode", "InvalidArgument").put("ErrorMessage", "Source, DetailType and Detail are required");
        }
        JsonNode detail;
        try {
            detail = Json.MAPPER.readTree(detailText);
        } catch (IOException e) {
            detail = null;
        }
        if (detail == null || !detail.isObject()) {
            return result.put("ErrorCode", "MalformedDetail").put("ErrorMessage", "Detail is not a JSON object");
        }
        String bus = Intrinsics.busNameOf(text(entry, "EventBusName"));
        String id = UUID.randomUUID().toString();
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", accountId);
        event.put("time", time(entry.get("Time")).truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        ArrayNode resources = event.putArray("resources");
        if (entry.get("Resources") instanceof ArrayNode given) {
            resources.addAll(given);
        }
        event.set("detail", detail);
        String eventJson = Json.write(event);

        List<String> rules;
        try {
            rules = machineByBus.get(bus).rulesForJSONEvent(eventJson);
        } catch (Exception e) {
            return result.put("ErrorCode", "InternalFailure").put("ErrorMessage", "event-ruler could not match the event");
        }
        Set<String> deliveredTo = new LinkedHashSet<>();
        try {
            for (String rule : rules) {
                for (QueueTarget target : targetsByRule.getOrDefault(rule, List.of())) {
                    String body = target.input() != null ? target.input() : eventJson;
                    sqs.sendMessage(b -> b.queueUrl(queueUrlByName.apply(target.queueName())).messageBody(body));
                    deliveredTo.add(target.queueName());
                }
            }
        } catch (RuntimeException e) {
            // EventBridge would retry for a day; failing the entry makes the publisher see it now
            log.error("event {} ({}) matched {} but could not be delivered", id, detailType, rules, e);
            return result.put("ErrorCode", "InternalFailure").put("ErrorMessage", "delivery to a target queue failed");
        }
        log.info("event '{}' from {} on bus {} matched {} -> {}", detailType, source, bus, rules, deliveredTo);
        return result.put("EventId", id);
    }

    /** The SDK sends Time as epoch seconds; a hand-written request may send ISO-8601. */
    private static Instant time(JsonNode time) {
        if (time == null || time.isNull()) {
            return Instant.now();
        }
        if (time.isNumber()) {
            BigDecimal seconds = time.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        return Instant.parse(time.asText());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Map<String, Object> error(String type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("__type", type);
        error.put("message", message);
        return error;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", JSON_1_1);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
