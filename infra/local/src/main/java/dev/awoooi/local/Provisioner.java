package dev.awoooi.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates what the template declares, through the same SDK calls one would make against AWS, so the embedded
 * stack and any emulator end up with the same tables, queues, buses and rules. Re-running against a store that
 * already has them is harmless: emulators often keep state between runs.
 */
public final class Provisioner {

    private static final Logger log = LoggerFactory.getLogger(Provisioner.class);

    /** Queue properties that are SQS attributes of the same name; the rest (encryption, tags) mean nothing locally. */
    private static final List<String> QUEUE_ATTRIBUTES = List.of("VisibilityTimeout", "MessageRetentionPeriod",
            "DelaySeconds", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds", "FifoQueue", "ContentBasedDeduplication");

    private final TemplateModel template;
    private final Intrinsics intrinsics;

    public Provisioner(TemplateModel template, Intrinsics intrinsics) {
        this.template = template;
        this.intrinsics = intrinsics;
    }

    /** Tables on demand, with their keys, indexes, streams and TTL. */
    public void createTables(DynamoDbClient dynamoDb) {
        for (TemplateModel.Resource table : template.resourcesOfType(TemplateModel.TABLE)) {
            Map<String, Object> p = TemplateModel.map(intrinsics.resolve(table.properties()));
            String name = intrinsics.tableName(table.logicalId());
            CreateTableRequest.Builder request = CreateTableRequest.builder()
                    .tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(maps(p.get("AttributeDefinitions")).stream()
                            .map(a -> AttributeDefinition.builder().attributeName(str(a.get("AttributeName")))
                                    .attributeType(str(a.get("AttributeType"))).build())
                            .toList())
                    .keySchema(keySchema(p.get("KeySchema")));
            List<Map<String, Object>> global = maps(p.get("GlobalSecondaryIndexes"));
            if (!global.isEmpty()) {
                request.globalSecondaryIndexes(global.stream().map(i -> GlobalSecondaryIndex.builder()
                        .indexName(str(i.get("IndexName"))).keySchema(keySchema(i.get("KeySchema")))
                        .projection(projection(i.get("Projection"))).build()).toList());
            }
            List<Map<String, Object>> local = maps(p.get("LocalSecondaryIndexes"));
            if (!local.isEmpty()) {
                request.localSecondaryIndexes(local.stream().map(i -> LocalSecondaryIndex.builder()
                        .indexName(str(i.get("IndexName"))).keySchema(keySchema(i.get("KeySchema")))
                        .projection(projection(i.get("Projection"))).build()).toList());
            }
            Map<String, Object> stream = TemplateModel.map(p.get("StreamSpecification"));
            if (stream.get("StreamViewType") != null) {
                request.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(str(stream.get("StreamViewType"))).build());
            }
            try {
                dynamoDb.createTable(request.build());
                dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(name));
            } catch (ResourceInUseException alreadyThere) {
                log.info("table {} already exists", name);
            }
            Map<String, Object> ttl = TemplateModel.map(p.get("TimeToLiveSpecification"));
            if (Boolean.TRUE.equals(ttl.get("Enabled"))) {
                try {
                    dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(
                            t -> t.attributeName(str(ttl.get("AttributeName"))).enabled(true)));
                } catch (DynamoDbException e) {
                    // an emulator that kept the table from a previous run refuses to enable TTL twice
                    log.info("TTL on {} not changed: {}", name, e.awsErrorDetails().errorMessage());
                }
            }
        }
    }

    /** The queues as the service created them. */
    public record Queues(Map<String, String> urlByName, Map<String, String> arnByName) {

        /** The account the service put the queues in, read from their ARNs. */
        public String accountId() {
            return arnByName.values().stream().findFirst().map(arn -> arn.split(":")[4]).orElse(Intrinsics.ACCOUNT_ID);
        }
    }

    /**
     * Queues with their attributes, then their redrive policies: a redrive policy names its dead-letter queue by
     * ARN, and only the service knows the ARN it gave a queue (emulators differ in their account ids).
     */
    public Queues createQueues(SqsClient sqs) {
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> arns = new LinkedHashMap<>();
        Map<String, Map<String, Object>> redrives = new LinkedHashMap<>();
        for (TemplateModel.Resource queue : template.resourcesOfType(TemplateModel.QUEUE)) {
            Map<String, Object> p = TemplateModel.map(intrinsics.resolve(queue.properties()));
            Map<String, String> attributes = new LinkedHashMap<>();
            QUEUE_ATTRIBUTES.forEach(a -> {
                if (p.get(a) != null) {
                    attributes.put(a, str(p.get(a)));
                }
            });
            String name = intrinsics.queueName(queue.logicalId());
            String url = sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).queueUrl();
            urls.put(name, url);
            arns.put(name, sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN));
            Map<String, Object> redrive = TemplateModel.map(p.get("RedrivePolicy"));
            if (!redrive.isEmpty()) {
                redrives.put(name, redrive);
            }
        }
        redrives.forEach((name, redrive) -> {
            String deadLetterQueue = Intrinsics.nameOfArn(str(redrive.get("deadLetterTargetArn")));
            String deadLetterArn = arns.get(deadLetterQueue);
            if (deadLetterArn == null) {
                throw new IllegalStateException("queue " + name + " dead-letters to " + deadLetterQueue + ", which the template does not declare");
            }
            String policy = Json.write(Map.of("deadLetterTargetArn", deadLetterArn, "maxReceiveCount", str(redrive.get("maxReceiveCount"))));
            sqs.setQueueAttributes(b -> b.queueUrl(urls.get(name)).attributesWithStrings(Map.of("RedrivePolicy", policy)));
        });
        log.info("queues ready: {}", urls.keySet());
        return new Queues(Map.copyOf(urls), Map.copyOf(arns));
    }

    /**
     * Buses, rules and their targets, for an emulator that routes events itself. The embedded stack routes
     * with {@link LocalEventBridge} instead and needs none of this.
     */
    public void createEventBuses(EventBridgeClient eventBridge) {
        for (TemplateModel.Resource bus : template.resourcesOfType(TemplateModel.EVENT_BUS)) {
            String name = intrinsics.eventBusName(bus.logicalId());
            if (!name.equals("default")) {
                try {
                    eventBridge.createEventBus(b -> b.name(name));
                } catch (ResourceAlreadyExistsException alreadyThere) {
                    log.info("event bus {} already exists", name);
                }
            }
        }
        for (TemplateModel.Resource rule : template.resourcesOfType(TemplateModel.RULE)) {
            Map<String, Object> p = TemplateModel.map(intrinsics.resolve(rule.properties()));
            String name = intrinsics.ruleName(rule.logicalId());
            String bus = intrinsics.ruleBusName(rule.logicalId());
            eventBridge.putRule(b -> {
                b.name(name).eventBusName(bus)
                        .state("DISABLED".equals(p.get("State")) ? RuleState.DISABLED : RuleState.ENABLED);
                if (p.get("EventPattern") != null) {
                    b.eventPattern(pattern(p.get("EventPattern")));
                }
                if (p.get("ScheduleExpression") != null) {
                    b.scheduleExpression(str(p.get("ScheduleExpression")));
                }
            });
            List<Target> targets = maps(p.get("Targets")).stream().map(t -> {
                Target.Builder target = Target.builder().id(str(t.get("Id"))).arn(str(t.get("Arn")));
                if (t.get("Input") != null) {
                    target.input(t.get("Input") instanceof String s ? s : Json.write(t.get("Input")));
                }
                if (t.get("InputPath") != null) {
                    target.inputPath(str(t.get("InputPath")));
                }
                return target.build();
            }).toList();
            if (!targets.isEmpty()) {
                eventBridge.putTargets(b -> b.rule(name).eventBusName(bus).targets(targets));
            }
        }
    }

    /** EventPattern is YAML in the template and JSON on the wire; a string is taken as JSON already. */
    static String pattern(Object eventPattern) {
        return eventPattern instanceof String s ? s : Json.write(eventPattern);
    }

    private static List<KeySchemaElement> keySchema(Object keys) {
        return maps(keys).stream().map(k -> KeySchemaElement.builder().attributeName(str(k.get("AttributeName")))
                .keyType(str(k.get("KeyType"))).build()).toList();
    }

    private static Projection projection(Object value) {
        Map<String, Object> p = TemplateModel.map(value);
        Projection.Builder projection = Projection.builder().projectionType(str(p.getOrDefault("ProjectionType", "ALL")));
        if (p.get("NonKeyAttributes") instanceof List<?> attributes) {
            projection.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
        }
        return projection.build();
    }

    private static List<Map<String, Object>> maps(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TemplateModel::map).toList();
        }
        throw new IllegalArgumentException("expected a list but found " + value);
    }

    private static String str(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
