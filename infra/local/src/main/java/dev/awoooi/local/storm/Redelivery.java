package dev.awoooi.local.storm;

import dev.awoooi.local.LocalStack;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The redelivery harness: many incidents through the whole loop on a stack started with redelivery chaos (every queue
 * message delivered once more, later and out of order, batches shuffled, every stream batch handed over twice), then
 * counted: incidents that did not reach a terminal state (an event lost), executions recorded more than once for an
 * incident, and cards sent more than once for the same event. Each incident is an alert for a service of its own, a
 * Deployment added to the demo cluster for the run, so each is analyzed, approved by its risk, really restarted,
 * verified, and carded (Approval Granted, Execution Succeeded). The stack runs with {@link #options}: its namespace
 * is not a production one, so those restarts run unsigned and the harness needs no signer.
 */
public final class Redelivery {

    /** What the run came to. */
    public record Result(int incidents, double seconds, Map<String, Integer> statuses, int notTerminal, int executions,
                         int doubleExecutions, int cards, int duplicateCards, Map<String, Long> chaos) {
        public String summary() {
            return String.format(Locale.ROOT, "%d incidents in %.1f s: %s; not terminal %d; executions %d, executed twice %d; "
                            + "cards %d, duplicate cards %d; chaos: %s", incidents, seconds, statuses, notTerminal, executions,
                    doubleExecutions, cards, duplicateCards, chaos);
        }
    }

    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "VOIDED", "REJECTED", "EXPIRED", "RESOLVED");
    private static final List<String> QUEUES = List.of("RedactQueue", "AnalyzeQueue", "ApproveQueue", "ExecuteQueue", "NotifyQueue");

    private Redelivery() {
    }

    /**
     * The stack the harness runs on: {@code base}, with no production namespace (restarts of its services run unsigned),
     * and the cluster's circuit breaker opened wide: the harness runs hundreds of unsigned restarts within the hour on
     * purpose, which the default brake (10 an hour) would rightly hold for signatures.
     */
    public static LocalStack.Options options(LocalStack.Options base) {
        return base.withProperty("awoooi.analysis.productionnamespaces", "none").withParameter("TrustUnsignedPerClusterHour", "100000");
    }

    public static Result run(LocalStack stack, int incidents, int senders, Duration patience) throws Exception {
        String run = AlertStorm.newRun();
        List<String> services = IntStream.range(0, incidents).mapToObj(i -> "svc-" + run + "-" + i).toList();
        stack.demoCluster().orElseThrow(() -> new IllegalStateException("the harness restarts services of the demo cluster"))
                .addServices(services);
        long started = System.nanoTime();
        AlertStorm.Report sent = new AlertStorm(stack).send("redelivery", run, incidents, services, senders);
        List<String> ids = new ArrayList<>(sent.incidents());
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(stack.dynamoEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(AlertStorm.credentials()).build();
             SqsClient sqs = SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.of(stack.region()))
                     .credentialsProvider(AlertStorm.credentials()).build()) {
            long until = System.nanoTime() + patience.toNanos();
            Map<String, String> statuses;
            int quietRounds = 0;
            while (true) {
                statuses = statuses(dynamo, ids);
                boolean allTerminal = statuses.values().stream().allMatch(TERMINAL::contains);
                // the chaos's late copies (up to 3 s) must have been handled too before counting cards
                quietRounds = allTerminal && queuesEmpty(stack, sqs) ? quietRounds + 1 : 0;
                if (quietRounds >= 8 || System.nanoTime() > until) {
                    break;
                }
                Thread.sleep(500);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Integer> byStatus = new TreeMap<>();
            statuses.values().forEach(s -> byStatus.merge(s, 1, Integer::sum));
            int notTerminal = (int) statuses.values().stream().filter(s -> !TERMINAL.contains(s)).count();
            int executions = 0;
            int executedTwice = 0;
            for (String id : ids) {
                int recorded = 0;
                for (var item : dynamo.queryPaginator(q -> q.tableName("AuditTable").keyConditionExpression("subject = :s")
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(id)))).items()) {
                    if (item.get("what").s().startsWith("execution")) {
                        recorded++;
                    }
                }
                executions += recorded;
                executedTwice += recorded > 1 ? 1 : 0;
            }
            Set<String> mine = Set.copyOf(ids);
            Map<String, Long> cardsByEvent = stack.outbox().stream().filter(c -> mine.contains(String.valueOf(c.get("incidentId"))))
                    .collect(Collectors.groupingBy(c -> c.get("incidentId") + "/" + c.get("kind"), Collectors.counting()));
            int cards = (int) cardsByEvent.values().stream().mapToLong(Long::longValue).sum();
            int duplicates = (int) cardsByEvent.values().stream().mapToLong(n -> n - 1).sum();
            return new Result(ids.size(), seconds, byStatus, notTerminal, executions, executedTwice, cards, duplicates,
                    stack.chaosDeliveries());
        }
    }

    private static Map<String, String> statuses(DynamoDbClient dynamo, List<String> ids) {
        Map<String, String> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(id -> Map.of("id", AttributeValue.fromS(id))).toList();
            Map<String, KeysAndAttributes> pending = Map.of("IncidentsTable", KeysAndAttributes.builder().keys(keys).consistentRead(true)
                    .projectionExpression("id, #s").expressionAttributeNames(Map.of("#s", "status")).build());
            while (!pending.isEmpty()) {
                Map<String, KeysAndAttributes> request = pending;
                var response = dynamo.batchGetItem(b -> b.requestItems(request));
                response.responses().getOrDefault("IncidentsTable", List.of()).forEach(item -> out.put(item.get("id").s(), item.get("status").s()));
                pending = response.unprocessedKeys();
            }
        }
        return out;
    }

    private static boolean queuesEmpty(LocalStack stack, SqsClient sqs) {
        for (String queue : QUEUES) {
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(stack.queueUrl(queue)).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            if (!attributes.values().stream().allMatch("0"::equals)) {
                return false;
            }
        }
        return true;
    }

    /**
     * scripts/bench-redelivery: the harness over N incidents (200 by default), once with plain delivery as the
     * baseline and once with the chaos, each on a fresh stack; printed as markdown for docs/benchmarks.md.
     */
    public static void main(String[] args) throws Exception {
        int incidents = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        List<Result> results = new ArrayList<>();
        // Chaos first: on a long run its result is the one wanted, and each result is printed as soon as it is in.
        for (boolean chaos : List.of(true, false)) {
            try (LocalStack stack = LocalStack.start(options(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false)
                    .withRedeliveryChaos(chaos)))) {
                Result result = run(stack, incidents, 8, Duration.ofMinutes(30));
                System.out.println((chaos ? "chaos: " : "plain: ") + result.summary());
                results.add(result);
            }
        }
        System.out.printf(Locale.ROOT, "%n| delivery | incidents | seconds | incidents/s | statuses | not terminal | executions | executed twice "
                + "| cards | duplicate cards | extra deliveries |%n|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|%n");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %s | %d | %d | %d | %d | %d | %s |%n", i == 0 ? "chaos (ran first)" : "plain (baseline)",
                    r.incidents(), r.seconds(), r.incidents() / r.seconds(), r.statuses(), r.notTerminal(), r.executions(),
                    r.doubleExecutions(), r.cards(), r.duplicateCards(), r.chaos());
        }
    }
}
