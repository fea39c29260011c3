package dev.awoooi.local;

import dev.awoooi.local.lambda.LambdaSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every function of template.yaml, started from the deployment package the template names for it, in a fresh JVM,
 * the way Lambda's Java runtime starts it (LambdaSandbox: task root, runtime flags and class path, the runtime
 * interface client, the Runtime API, SnapStart's checkpoint hooks), with the template's environment for that function
 * pointed at the embedded stack. The stack's own functions do not consume the queues here: each message the packages
 * produce is read from its queue and handed to the next package, so one alert goes through the whole loop on the
 * deployable artifacts alone.
 */
class DeploymentPackageIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration ANSWER = Duration.ofSeconds(60);
    static LocalStack stack;
    static SqsClient sqs;
    static Path events;
    static final Map<String, LambdaSandbox> SANDBOXES = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false).withQueuePollers(false));
        sqs = SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        events = stack.templateFile().getParent().resolve("events");
    }

    @AfterAll
    static void stop() {
        SANDBOXES.values().forEach(LambdaSandbox::close);
        if (sqs != null) {
            sqs.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** The function's sandbox, started once from its package with SnapStart's hooks, primed before its "snapshot". */
    static LambdaSandbox sandbox(String function) {
        return SANDBOXES.computeIfAbsent(function, id -> start(id, Map.of(), Set.of()));
    }

    static LambdaSandbox start(String function, Map<String, String> extraEnvironment, Set<String> withoutEnvironment) {
        var deployment = stack.deployment(function);
        Path pkg = stack.templateFile().getParent().resolve(deployment.codeUri());
        Map<String, String> environment = new LinkedHashMap<>(deployment.environment());
        environment.putAll(LambdaSandbox.asEnvironment(stack.functionProperties()));
        environment.keySet().removeAll(withoutEnvironment);
        environment.putAll(extraEnvironment);
        try {
            LambdaSandbox sandbox = LambdaSandbox.start(new LambdaSandbox.Launch(function, pkg, deployment.handler(), environment,
                    deployment.memorySize(), true));
            sandbox.awaitInit(Duration.ofSeconds(120));
            String bean = deployment.environment().get("SPRING_CLOUD_FUNCTION_DEFINITION");
            assertThat(sandbox.output()).as(function + " primed before the snapshot").contains("primed " + bean + " before the snapshot");
            return sandbox;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode invoke(String function, String event) {
        LambdaSandbox.Answer answer = sandbox(function).invoke(event, ANSWER);
        assertThat(answer.failed()).as(function + " answered an error: " + answer.body() + "\n" + sandbox(function).output()).isFalse();
        return JSON.readTree(answer.body());
    }

    static String sample(String file) throws Exception {
        return Files.readString(events.resolve(file));
    }

    /** An SQS event as Lambda's event source mapping builds it: the sample's envelope around a message really queued. */
    static String sqsEvent(String sampleFile, Message message, String queue) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(sample(sampleFile));
        ObjectNode record = (ObjectNode) event.get("Records").get(0);
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        record.put("eventSourceARN", "arn:aws:sqs:" + stack.region() + ":000000000000:" + queue);
        return JSON.writeValueAsString(event);
    }

    static Message receive(String queueLogicalId) {
        String url = stack.queueUrl(queueLogicalId);
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(1)).messages();
            if (!messages.isEmpty()) {
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(messages.get(0).receiptHandle()));
                return messages.get(0);
            }
        }
        throw new AssertionError("nothing arrived on " + queueLogicalId + " within 30 s");
    }

    /** Hands the next message of a queue to its function's package; the batch must come back without failures. */
    static Message feed(String function, String sampleFile, String queueLogicalId) throws Exception {
        Message message = receive(queueLogicalId);
        JsonNode response = invoke(function, sqsEvent(sampleFile, message, queueLogicalId));
        assertThat(response.get("batchItemFailures")).as(function + ": " + response + "\n" + sandbox(function).output()).isEmpty();
        return message;
    }

    /** Every card event queued for notify so far, each handed to the notify package; returns their bodies. */
    static List<String> notifyEverythingQueued() throws Exception {
        List<String> bodies = new ArrayList<>();
        String url = stack.queueUrl("NotifyQueue");
        for (int emptyPolls = 0; emptyPolls < 2; ) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(1)).messages();
            if (messages.isEmpty()) {
                emptyPolls++;
                continue;
            }
            Message message = messages.get(0);
            sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            JsonNode response = invoke("NotifyFunction", sqsEvent("notify.json", message, "NotifyQueue"));
            assertThat(response.get("batchItemFailures")).as("notify: " + response).isEmpty();
            bodies.add(message.body());
        }
        return bodies;
    }

    static JsonNode incident(String id) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(sample("incidents-unknown.json"));
        ((ObjectNode) event.get("pathParameters")).put("id", id);
        ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + stack.webhookToken());
        JsonNode response = invoke("IncidentsFunction", JSON.writeValueAsString(event));
        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        return JSON.readTree(response.get("body").asString());
    }

    @Test
    void oneAlertGoesThroughTheWholeLoopOnTheDeploymentPackagesAlone() throws Exception {
        JsonNode accepted = invoke("IngestFunction", sample("ingest.json").replace("awoooi-local-token", stack.webhookToken()));
        assertThat(accepted.get("statusCode").asInt()).as(accepted.toString()).isEqualTo(202);
        String id = JSON.readTree(accepted.get("body").asString()).get("incidents").get(0).get("id").asString();
        assertThat(id).startsWith("inc-");

        feed("RedactFunction", "redact-unknown-incident.json", "RedactQueue");
        feed("AnalyzeFunction", "analyze-unknown-incident.json", "AnalyzeQueue");
        JsonNode analyzed = incident(id);
        assertThat(analyzed.get("rootCauses").get(0).get("service").asString()).isEqualTo("postgres-db");
        assertThat(analyzed.get("risk").get("level").asString()).isEqualTo("HIGH");

        feed("ApproveFunction", "approve-unknown-incident.json", "ApproveQueue");
        assertThat(notifyEverythingQueued()).anySatisfy(body -> assertThat(body).contains("Approval Requested"));
        Map<String, Object> card = stack.outbox().stream().filter(c -> "Approval Requested".equals(c.get("kind"))).findFirst().orElseThrow();

        for (String approver : List.of("alice", "bob")) {
            String link = ((List<?>) card.get("links")).stream().map(l -> (Map<?, ?>) l)
                    .filter(l -> approver.equals(l.get("approver"))).map(l -> String.valueOf(l.get("url"))).findFirst().orElseThrow();
            String token = URI.create(link).getRawQuery().replaceAll(".*token=([^&]+).*", "$1");
            ObjectNode decision = (ObjectNode) JSON.readTree(sample("approval-api-bad-link.json"));
            ((ObjectNode) decision.get("pathParameters")).put("id", id);
            ((ObjectNode) decision.get("requestContext").get("http")).put("method", "POST");
            decision.remove("queryStringParameters");
            decision.put("body", "decision=approve&approver=" + approver + "&token=" + URLEncoder.encode(
                    java.net.URLDecoder.decode(token, StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            JsonNode page = invoke("ApprovalApiFunction", JSON.writeValueAsString(decision));
            assertThat(page.get("statusCode").asInt()).as(page.toString()).isEqualTo(200);
            assertThat(page.get("body").asString()).contains("Your decision is recorded");
        }

        feed("ExecuteFunction", "execute-unknown-incident.json", "ExecuteQueue");
        JsonNode executed = incident(id);
        assertThat(executed.get("status").asString()).as(executed.toString()).isEqualTo("SUCCEEDED");
        // Approval Granted, then Execution Succeeded: each card rendered by the notify package
        assertThat(notifyEverythingQueued()).anySatisfy(body -> assertThat(body).contains("Execution Succeeded"));
        assertThat(stack.outbox()).anySatisfy(c -> assertThat(c.get("kind")).isEqualTo("Execution Succeeded"));
        assertThat(executed.toString()).doesNotContain("203.0.113.42").doesNotContain("ops.lead@example.com");
    }

    @Test
    void everyScanRunsFromItsPackageAndReports() throws Exception {
        assertThat(invoke("FinopsScanFunction", sample("finops-scan.json")).toString())
                .contains("data-postgres-backup").contains("worker-large-01");
        assertThat(invoke("ComplianceScanFunction", sample("compliance-scan.json")).toString()).contains("db-credentials");
        assertThat(invoke("CapacityScanFunction", sample("capacity-scan.json")).get("scan").asString()).isEqualTo("capacity");
        assertThat(invoke("AssetScanFunction", sample("asset-scan.json")).toString()).contains("postgres-db");
    }

    @Test
    void everyFunctionOfTheTemplateHasAPackageThatThisTestStarts() {
        List<String> functions = new ArrayList<>();
        stack.template().resourcesOfType(TemplateModel.FUNCTION).forEach(r -> functions.add(r.logicalId()));
        assertThat(functions).containsExactlyInAnyOrder("IngestFunction", "IncidentsFunction", "ApprovalApiFunction",
                "RedactFunction", "AnalyzeFunction", "ApproveFunction", "ExecuteFunction", "NotifyFunction",
                "FinopsScanFunction", "CapacityScanFunction", "ComplianceScanFunction", "AssetScanFunction");
        for (String function : functions) {
            var deployment = stack.deployment(function);
            assertThat(deployment.codeUri()).as(function).matches("functions/target/awoooi-functions-.*-(core|cluster)\\.zip");
            assertThat(deployment.handler()).isEqualTo("org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest");
            assertThat(deployment.architectures()).as(function).containsExactly("arm64");
            assertThat(deployment.memorySize()).as(function).isBetween(256, 512);
        }
    }

    /**
     * The secret rotates in an emulated Secrets Manager (moto) while a warm ingest keeps running: the old token works
     * until the cache's time to live runs out, then only the new one does. No restart, no redeploy.
     */
    @Test
    void aRotatedSecretIsUsedAfterTheCacheTimeToLiveWithoutARestart() throws Exception {
        try (MotoServer moto = MotoServer.start();
             SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            Map<String, String> props = stack.functionProperties();
            ObjectNode value = JSON.createObjectNode().put("webhookToken", "token-before-rotation-0123456789")
                    .put("linkSecret", props.get("awoooi.linksecret")).put("notifySecret", props.get("awoooi.notifysecret"))
                    .put("sealKey", props.get("awoooi.sealkey"));
            String arn = secrets.createSecret(r -> r.name("awoooi/test").secretString(value.toString())).arn();
            LambdaSandbox ingest = start("IngestFunction", Map.of("AWOOOI_SECRETSARN", arn, "AWOOOI_SECRETSTTL", "4s",
                            "AWOOOI_ENDPOINTS_SECRETSMANAGER", moto.endpoint().toString()),
                    Set.of("AWOOOI_WEBHOOKTOKEN", "AWOOOI_LINKSECRET", "AWOOOI_NOTIFYSECRET", "AWOOOI_SEALKEY"));
            try {
                assertThat(status(ingest, "token-before-rotation-0123456789", 1)).isEqualTo(202);
                value.put("webhookToken", "token-after-rotation-9876543210");
                secrets.putSecretValue(r -> r.secretId(arn).secretString(value.toString()));
                Instant rotated = Instant.now();
                assertThat(status(ingest, "token-before-rotation-0123456789", 2)).as("still cached").isEqualTo(202);
                Thread.sleep(Math.max(0, Duration.ofSeconds(5).minus(Duration.between(rotated, Instant.now())).toMillis()));
                assertThat(status(ingest, "token-before-rotation-0123456789", 3)).as("old token after the TTL").isEqualTo(401);
                assertThat(status(ingest, "token-after-rotation-9876543210", 4)).as("new token after the TTL").isEqualTo(202);
                assertThat(ingest.output()).doesNotContain("token-before-rotation").doesNotContain("token-after-rotation");
            } finally {
                ingest.close();
            }
        }
    }

    private static int status(LambdaSandbox ingest, String token, int alert) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(sample("ingest.json"));
        ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + token);
        ObjectNode body = (ObjectNode) JSON.readTree(event.get("body").asString());
        ObjectNode first = (ObjectNode) ((ArrayNode) body.get("alerts")).get(0);
        first.put("fingerprint", "0000000000000" + alert + "aa");
        event.put("body", JSON.writeValueAsString(body));
        LambdaSandbox.Answer answer = ingest.invoke(JSON.writeValueAsString(event), ANSWER);
        assertThat(answer.failed()).as(answer.body()).isFalse();
        return JSON.readTree(answer.body()).get("statusCode").asInt();
    }
}
