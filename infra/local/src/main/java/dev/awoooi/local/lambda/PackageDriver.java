package dev.awoooi.local.lambda;

import dev.awoooi.local.LocalStack;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
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
    private final Map<String, LambdaSandbox> warm = new ConcurrentHashMap<>();
    private final Map<String, String> environment;

    public PackageDriver(LocalStack stack) {
        this(stack, Map.of());
    }

    /** @param environment added to every function's environment (e.g. endpoints through a {@link CallMeter}) */
    public PackageDriver(LocalStack stack, Map<String, String> environment) {
        this.stack = stack;
        this.environment = Map.copyOf(environment);
        this.sqs = SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.of(stack.region()))
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
    }
}
