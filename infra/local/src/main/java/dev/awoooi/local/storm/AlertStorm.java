package dev.awoooi.local.storm;

import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.local.LocalStack;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An alert storm against a running stack, as Alertmanager senders would deliver it: {@code alerts} distinct alerts
 * (each with its own instance address, so every one gives the vault a new value), one per delivery, from
 * {@code senders} concurrent senders that honour 503 + Retry-After as Alertmanager does. Then the same alerts replayed,
 * and a check, once redaction has settled, that every accepted alert is in exactly one incident.
 */
public final class AlertStorm {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** How long a sender waits before retrying a 503 (Alertmanager backs off too; the answer says 5 s, a storm test cannot). */
    static final Duration RETRY_PAUSE = Duration.ofMillis(200);
    /**
     * A sender as patient as Alertmanager within one group interval (5 minutes): 503s are retried with a growing pause
     * (up to 2 s) for about as long, which outlasts an in-progress claim of a delivery that died (the function's timeout).
     */
    static final int MAX_ATTEMPTS = 150;

    /** What a storm came to. Latencies are per delivery, in milliseconds, retries counted as separate deliveries. */
    public record Report(String name, String run, int alerts, int senders, double seconds, double[] latenciesMs, Map<Integer, Integer> statuses,
                         Map<String, Integer> outcomes, Map<String, String> incidentByFingerprint, int retries) {
        public double alertsPerSecond() {
            return alerts / seconds;
        }

        public double percentile(double p) {
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
        }

        public Set<String> incidents() {
            return new HashSet<>(incidentByFingerprint.values());
        }
    }

    /** Every accepted alert's place after redaction: alert items per incident, and the counts kept beside them. */
    public record Settled(int alertItems, long countedAlerts, Map<String, Set<String>> fingerprintsByIncident,
                          Map<String, Span> spans, boolean queuesEmpty) {
    }

    /** An incident's life as stored: its status, when it opened, when it last changed (when it ended, if it did). */
    public record Span(String status, Instant receivedAt, Instant updatedAt) {
        boolean ended() {
            return IncidentStatus.valueOf(status).terminal();
        }
    }

    /**
     * Grouping's promise, checked on the stored incidents: a service's incidents never overlap; each one after the
     * first opened only once the one before it had ended (its incident was closed, for example by the executed
     * investigation of an unknown service). Returns the services that broke it.
     */
    public static List<String> overlapping(Report storm, Settled settled, List<String> services) {
        Map<Integer, List<Span>> byService = new HashMap<>();
        Map<String, Integer> serviceOf = new HashMap<>();
        for (int i = 0; i < storm.alerts(); i++) {
            String incident = storm.incidentByFingerprint().get(fingerprint(storm.run(), i));
            int service = i % services.size();
            if (incident != null && serviceOf.putIfAbsent(incident, service) == null) {
                byService.computeIfAbsent(service, k -> new ArrayList<>()).add(settled.spans().get(incident));
            }
        }
        List<String> broken = new ArrayList<>();
        byService.forEach((service, spans) -> {
            spans.sort(java.util.Comparator.comparing(Span::receivedAt));
            for (int i = 1; i < spans.size(); i++) {
                Span before = spans.get(i - 1);
                if (!before.ended() || before.updatedAt().isAfter(spans.get(i).receivedAt())) {
                    broken.add(services.get(service));
                    return;
                }
            }
        });
        return broken;
    }

    private final LocalStack stack;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    public AlertStorm(LocalStack stack) {
        this.stack = stack;
    }

    /** Five services of the demo topology for a spread storm, and a sixth for a storm on one service. */
    public static final List<String> SPREAD = List.of("frontend", "auth-service", "product-api", "order-api", "postgres-db");
    public static final List<String> SINGLE = List.of("rabbitmq");

    /**
     * Sends the storm: alert {@code i} is about {@code services.get(i % services.size())}; its fingerprint is
     * derived from {@code run} and {@code i}, so a replay with the same {@code run} delivers the same alerts.
     */
    public Report send(String name, String run, int alerts, List<String> services, int senders) throws Exception {
        return send(name, run, alerts, services, senders, "Bearer " + stack.webhookToken(), 202);
    }

    /** The HTTP floor: the same deliveries refused at the door (401), so the stack does no work behind it. */
    public Report refused(String name, String run, int alerts, int senders) throws Exception {
        return send(name, run, alerts, SINGLE, senders, "Bearer not-the-token", 401);
    }

    /** A new run id: hexadecimal, as the fingerprints it starts must be. */
    public static String newRun() {
        return String.format(Locale.ROOT, "%08x", (int) (System.nanoTime() ^ System.currentTimeMillis()));
    }

    private Report send(String name, String run, int alerts, List<String> services, int senders, String authorization, int expected)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        Map<String, String> incidentByFingerprint = new ConcurrentHashMap<>();
        AtomicInteger retries = new AtomicInteger();
        long started = System.nanoTime();
        try (var pool = Executors.newFixedThreadPool(senders)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < alerts; i = next.getAndIncrement()) {
                        String fingerprint = fingerprint(run, i);
                        String body = JSON.writeValueAsString(delivery(i, services.get(i % services.size()), fingerprint));
                        for (int attempt = 1; ; attempt++) {
                            long sent = System.nanoTime();
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/alerts/alertmanager"))
                                    .header("Authorization", authorization).header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            latencies.add((System.nanoTime() - sent) / 1e6);
                            statuses.merge(response.statusCode(), 1, Integer::sum);
                            if (response.statusCode() == expected && expected != 202) {
                                break;
                            }
                            if (response.statusCode() == 202) {
                                JsonNode answer = JSON.readTree(response.body()).get("incidents").get(0);
                                outcomes.merge(answer.get("outcome").asString(), 1, Integer::sum);
                                incidentByFingerprint.put(fingerprint, answer.get("id").asString());
                                break;
                            }
                            if (response.statusCode() != 503 || attempt == MAX_ATTEMPTS) {
                                throw new IllegalStateException("alert " + i + " answered " + response.statusCode() + ": " + response.body());
                            }
                            retries.incrementAndGet();
                            Thread.sleep(Math.min(2_000, RETRY_PAUSE.toMillis() * attempt));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Report(name, run, alerts, senders, seconds, latencies.stream().mapToDouble(Double::doubleValue).toArray(),
                new HashMap<>(statuses), new HashMap<>(outcomes), new HashMap<>(incidentByFingerprint), retries.get());
    }

    /**
     * Waits until the redact queue is empty and every incident's alert items add up to what ingest answered, or
     * {@code patience} has passed; then reads where each alert landed.
     */
    public Settled settle(Report storm, Duration patience) throws InterruptedException {
        long until = System.nanoTime() + patience.toNanos();
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(stack.dynamoEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(credentials()).build();
             SqsClient sqs = SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.of(stack.region()))
                     .credentialsProvider(credentials()).build()) {
            while (true) {
                Settled settled = read(storm, dynamo, sqs);
                if ((settled.queuesEmpty() && settled.alertItems() >= storm.alerts()) || System.nanoTime() > until) {
                    return settled;
                }
                Thread.sleep(500);
            }
        }
    }

    private Settled read(Report storm, DynamoDbClient dynamo, SqsClient sqs) {
        Map<String, Set<String>> fingerprints = new HashMap<>();
        Map<String, Span> spans = new HashMap<>();
        int items = 0;
        long counted = 0;
        for (String incident : storm.incidents()) {
            Set<String> mine = new HashSet<>();
            for (var item : dynamo.queryPaginator(q -> q.tableName("AlertsTable").keyConditionExpression("incidentId = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(incident)))).items()) {
                String firing = item.get("firing").s();
                mine.add(firing.substring(0, firing.indexOf('#')));
                items++;
            }
            fingerprints.put(incident, mine);
            var item = dynamo.getItem(g -> g.tableName("IncidentsTable").key(Map.of("id", AttributeValue.fromS(incident)))
                    .consistentRead(true)).item();
            counted += item.get("alertCount") == null ? 0 : Long.parseLong(item.get("alertCount").n());
            spans.put(incident, new Span(item.get("status").s(), Instant.parse(item.get("receivedAt").s()), Instant.parse(item.get("updatedAt").s())));
        }
        boolean empty = true;
        for (String queue : List.of("RedactQueue", "AnalyzeQueue")) {
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(stack.queueUrl(queue)).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            empty &= attributes.values().stream().allMatch("0"::equals);
        }
        return new Settled(items, counted, fingerprints, spans, empty);
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    public static String fingerprint(String run, int i) {
        return String.format(Locale.ROOT, "%s%08x", run, i);
    }

    /** One Alertmanager v4 delivery of one alert, grouped by service as a typical route does. */
    public static ObjectNode delivery(int i, String service, String fingerprint) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "4").put("groupKey", "{}:{service=\"" + service + "\"}").put("truncatedAlerts", 0)
                .put("status", "firing").put("receiver", "awoooi").put("externalURL", "http://alertmanager:9093");
        root.putObject("groupLabels").put("service", service);
        root.putObject("commonLabels").put("service", service);
        root.putObject("commonAnnotations");
        ObjectNode alert = root.putArray("alerts").addObject();
        String instance = String.format(Locale.ROOT, "10.%d.%d.%d:9100", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        alert.put("status", "firing");
        alert.putObject("labels").put("alertname", "InstanceDown").put("service", service).put("namespace", "production")
                .put("severity", "critical").put("instance", instance);
        alert.putObject("annotations").put("summary", "instance " + instance + " of " + service + " is down")
                .put("description", "scrape of " + instance + " failed for 1m");
        alert.put("startsAt", "2026-11-21T03:12:00Z").put("endsAt", "0001-01-01T00:00:00Z")
                .put("generatorURL", "http://prometheus:9090/graph").put("fingerprint", fingerprint);
        return root;
    }
}
