package dev.awoooi.local.lambda;

import dev.awoooi.local.LocalStack;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the template's functions from their deployment packages against a local stack whose own functions do not
 * consume the queues: starts sandboxes with the template's environment for each function (pointed at the stack),
 * reads what the packages queue and builds the SQS events Lambda's event source mapping would deliver.
 */
public final class PackageDriver implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final LocalStack stack;
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    /** Where each stream shard was read up to: the next call returns only what was written since. */
    private final Map<String, String> shardIterators = new ConcurrentHashMap<>();
    private final Map<String, LambdaSandbox> warm = new ConcurrentHashMap<>();
    private final Map<String, String> environment;
    /** The template's parameter naming each cluster identity's secret → the local stack's variable holding it. */
    private static final Map<String, String> CLUSTER_IDENTITIES = Map.of(
            "ClusterReadSecretArn", "AWOOOI_CLUSTER_READKUBECONFIG",
            "ClusterAnalysisSecretArn", "AWOOOI_CLUSTER_ANALYSISKUBECONFIG",
            "ClusterWriteSecretArn", "AWOOOI_CLUSTER_WRITEKUBECONFIG");

    public PackageDriver(LocalStack stack) {
        this(stack, Map.of());
    }

    /** @param environment added to every function's environment (e.g. endpoints through a {@link dev.awoooi.local.Interposer}) */
    public PackageDriver(LocalStack stack, Map<String, String> environment) {
        this.stack = stack;
        this.environment = Map.copyOf(environment);
        this.sqs = SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        this.dynamo = DynamoDbClient.builder().endpointOverride(stack.dynamoEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        this.streams = DynamoDbStreamsClient.builder().endpointOverride(stack.dynamoEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /**
     * A fresh environment for a template function, from the package its CodeUri names, with the template's
     * environment for it plus the stack's endpoints and local secrets; {@code without} removes names,
     * {@code extra} adds or replaces them.
     */
    public LambdaSandbox start(String function, boolean snapStart, Map<String, String> extra, Set<String> without) {
        var deployment = stack.deployment(function);
        Path pkg = stack.templateFile().getParent().resolve(deployment.codeUri());
        Map<String, String> environment = new LinkedHashMap<>(deployment.environment());
        environment.putAll(LambdaSandbox.asEnvironment(stack.localProperties()));
        // each function gets only the cluster identity whose secret the template grants it, as in AWS
        CLUSTER_IDENTITIES.forEach((parameter, variable) -> {
            if (!deployment.secretParameters().contains(parameter)) {
                environment.remove(variable);
            }
        });
        environment.putAll(this.environment);
        environment.keySet().removeAll(without);
        environment.putAll(extra);
        try {
            return LambdaSandbox.start(new LambdaSandbox.Launch(function, pkg, deployment.handler(), environment,
                    deployment.memorySize(), snapStart));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One SnapStart environment per function, started on first use and kept warm. */
    public LambdaSandbox warm(String function) {
        return warm.computeIfAbsent(function, id -> {
            LambdaSandbox sandbox = start(id, true, Map.of(), Set.of());
            sandbox.awaitInit(Duration.ofSeconds(120));
            return sandbox;
        });
    }

    /** The next message of a template queue (deleted from it, as a successful batch would), if one arrives in time. */
    public Optional<Message> receive(String queueLogicalId, Duration patience) {
        String url = stack.queueUrl(queueLogicalId);
        Instant deadline = Instant.now().plus(patience);
        do {
            var messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(1)).messages();
            if (!messages.isEmpty()) {
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(messages.get(0).receiptHandle()));
                return Optional.of(messages.get(0));
            }
        } while (Instant.now().isBefore(deadline));
        return Optional.empty();
    }

    public Message require(String queueLogicalId) {
        return receive(queueLogicalId, Duration.ofSeconds(30)).orElseThrow(() -> {
            StringBuilder logs = new StringBuilder();
            warm.forEach((function, sandbox) -> {
                String output = sandbox.output();
                logs.append("\n--- ").append(function).append(" (last 3,000 characters)\n")
                        .append(output.substring(Math.max(0, output.length() - 3000)));
            });
            return new IllegalStateException("nothing arrived on " + queueLogicalId + " within 30 s" + logs);
        });
    }

    /** The SQS event Lambda delivers for one message of a template queue. */
    public String sqsEvent(Message message, String queueLogicalId) {
        ObjectNode record = JSON.createObjectNode();
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        record.putObject("attributes").put("ApproximateReceiveCount", "1")
                .put("SentTimestamp", String.valueOf(System.currentTimeMillis())).put("SenderId", "AIDLOCAL")
                .put("ApproximateFirstReceiveTimestamp", String.valueOf(System.currentTimeMillis()));
        record.putObject("messageAttributes");
        record.put("md5OfBody", "");
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", "arn:aws:sqs:" + stack.region() + ":000000000000:" + queueLogicalId);
        record.put("awsRegion", stack.region());
        ObjectNode event = JSON.createObjectNode();
        ((ArrayNode) event.putArray("Records")).add(record);
        return JSON.writeValueAsString(event);
    }

    /**
     * The DynamoDB stream event Lambda delivers for what was written to a template table since the last call (its
     * whole stream on the first), in the JSON Lambda uses; empty when nothing was written.
     */
    public Optional<String> streamEvent(String tableLogicalId) {
        String table = stack.tableName(tableLogicalId);
        String streamArn = dynamo.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        ArrayNode records = JSON.createArrayNode();
        for (var shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = shardIterators.computeIfAbsent(shard.shardId(), id -> streams.getShardIterator(b -> b.streamArn(streamArn)
                    .shardId(id).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
            while (iterator != null) {
                String from = iterator;
                var page = streams.getRecords(b -> b.shardIterator(from));
                page.records().forEach(r -> records.add(streamRecord(r, streamArn)));
                iterator = page.nextShardIterator();
                if (page.records().isEmpty()) {
                    break;
                }
            }
            if (iterator != null) {
                shardIterators.put(shard.shardId(), iterator);
            }
        }
        if (records.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode event = JSON.createObjectNode();
        event.set("Records", records);
        return Optional.of(JSON.writeValueAsString(event));
    }

    private ObjectNode streamRecord(Record record, String streamArn) {
        ObjectNode out = JSON.createObjectNode();
        out.put("eventID", record.eventID());
        out.put("eventName", record.eventNameAsString());
        out.put("eventVersion", record.eventVersion());
        out.put("eventSource", "aws:dynamodb");
        out.put("awsRegion", stack.region());
        ObjectNode dynamodb = out.putObject("dynamodb");
        var source = record.dynamodb();
        dynamodb.put("ApproximateCreationDateTime", source.approximateCreationDateTime() == null ? 0
                : source.approximateCreationDateTime().getEpochSecond());
        dynamodb.set("Keys", image(source.keys()));
        if (source.hasNewImage()) {
            dynamodb.set("NewImage", image(source.newImage()));
        }
        if (source.hasOldImage()) {
            dynamodb.set("OldImage", image(source.oldImage()));
        }
        dynamodb.put("SequenceNumber", source.sequenceNumber());
        dynamodb.put("SizeBytes", source.sizeBytes());
        dynamodb.put("StreamViewType", source.streamViewTypeAsString());
        out.put("eventSourceARN", streamArn);
        return out;
    }

    /** DynamoDB's JSON for an item; the incidents' items hold strings and numbers only. */
    private static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode out = JSON.createObjectNode();
        item.forEach((name, value) -> {
            switch (value.type()) {
                case S -> out.putObject(name).put("S", value.s());
                case N -> out.putObject(name).put("N", value.n());
                case BOOL -> out.putObject(name).put("BOOL", value.bool());
                default -> throw new IllegalArgumentException("attribute " + name + " is a " + value.type() + ", not written by this driver");
            }
        });
        return out;
    }

    /** An HTTP API (payload 2.0) event as API Gateway delivers it. */
    public static String httpEvent(String method, String path, Map<String, String> pathParameters, Map<String, String> query,
                                   Map<String, String> headers, String body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", method + " " + path);
        event.put("rawPath", path);
        StringBuilder raw = new StringBuilder();
        query.forEach((k, v) -> raw.append(raw.isEmpty() ? "" : "&").append(k).append('=').append(v));
        event.put("rawQueryString", raw.toString());
        ObjectNode h = event.putObject("headers");
        headers.forEach(h::put);
        if (!query.isEmpty()) {
            ObjectNode q = event.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        ObjectNode p = event.putObject("pathParameters");
        pathParameters.forEach(p::put);
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", "req-" + System.nanoTime());
        context.put("routeKey", method + " " + path);
        context.put("stage", "$default");
        context.putObject("http").put("method", method).put("path", path).put("protocol", "HTTP/1.1").put("sourceIp", "127.0.0.1");
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return JSON.writeValueAsString(event);
    }

    @Override
    public void close() {
        warm.values().forEach(LambdaSandbox::close);
        sqs.close();
        streams.close();
        dynamo.close();
    }
}
