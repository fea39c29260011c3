package dev.awoooi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The embedded stack wired from template.yaml, with recording stand-ins for the function beans. */
class LocalStackIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path temp;

    static LocalStack stack;
    static SqsClient sqs;
    static EventBridgeClient eventBridge;

    @BeforeAll
    static void start() throws IOException {
        // the real template, with redelivery fast enough for a test: 1 s visibility, DLQ after 2 receives, and no
        // batching window (a window as long as the visibility would see a message come back while its batch gathers,
        // which is why AWS asks for a visibility of six times the timeout plus the window)
        String template = Files.readString(LocalStack.findTemplate(Path.of("").toAbsolutePath()));
        int redact = template.indexOf("\n  RedactQueue:");
        String fast = (template.substring(0, redact) + template.substring(redact)
                .replaceFirst("VisibilityTimeout: \\d+", "VisibilityTimeout: 1")
                .replaceFirst("maxReceiveCount: \\d+", "maxReceiveCount: 2"))
                .replaceFirst("MaximumRetryAttempts: \\d+", "MaximumRetryAttempts: 2")
                .replace("MaximumBatchingWindowInSeconds: 1", "MaximumBatchingWindowInSeconds: 0");
        Path file = Files.writeString(temp.resolve("template.yaml"), fast);
        stack = LocalStack.start(LocalStack.Options.defaults().withTemplate(file).withPort(0)
                .withApplication(RecordingFunctions.class).withTimedSchedules(false));
        sqs = sqsClient(stack);
        eventBridge = eventBridgeClient(stack);
    }

    @AfterAll
    static void stop() {
        if (eventBridge != null) {
            eventBridge.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anHttpRouteReachesItsFunctionAsAnApiGatewayV2Event() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/alerts/alertmanager?dry=1"))
                .header("Authorization", "Bearer " + stack.webhookToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"firing\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("x-function")).contains("ingest");
        Map<String, Object> echo = Json.MAPPER.readValue(response.body(), new TypeReference<>() {
        });
        assertThat(echo).containsEntry("routeKey", "POST /alerts/{source}")
                .containsEntry("pathParameters", Map.of("source", "alertmanager"))
                .containsEntry("queryStringParameters", Map.of("dry", "1"))
                .containsEntry("body", "{\"status\":\"firing\"}")
                .containsEntry("isBase64Encoded", false);
    }

    @Test
    void aBinaryBodyArrivesBase64Encoded() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/alerts/binary"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{0, 1, 2, (byte) 255})).build(), HttpResponse.BodyHandlers.ofString());

        Map<String, Object> echo = Json.MAPPER.readValue(response.body(), new TypeReference<>() {
        });
        assertThat(echo).containsEntry("isBase64Encoded", true).containsEntry("body", "AAEC/w==");
    }

    @Test
    void aFunctionThatThrowsIsA500() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/alerts/explode"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("Internal Server Error").doesNotContain("exploded");
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = get("/alerts/alertmanager");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
        assertThat(get("/local/health").body()).contains("UP");
    }

    @Test
    void aMessageOnAQueueReachesItsSqsFunction() {
        sqs.sendMessage(b -> b.queueUrl(stack.queueUrl("AnalyzeQueue")).messageBody("incident-42"));

        await().atMost(Duration.ofSeconds(15)).until(() -> invocations().of("analyze").contains("incident-42"));
    }

    @Test
    void aBatchItemFailureIsRedeliveredAndThenDeadLettered() {
        sqs.sendMessageBatch(b -> b.queueUrl(stack.queueUrl("RedactQueue")).entries(
                SendMessageBatchRequestEntry.builder().id("ok").messageBody("ok-1").build(),
                SendMessageBatchRequestEntry.builder().id("failing").messageBody("fail-1").build()));

        awaitDeadLettered("fail-1");

        assertThat(invocations().of("redact")).filteredOn("fail-1"::equals).hasSize(2);
        assertThat(invocations().of("redact")).filteredOn("ok-1"::equals).hasSize(1);
        assertThat(invocations().of("redact.receiveCount")).contains("1", "2");
    }

    @Test
    void aFunctionExceptionLeavesTheWholeBatchForRedelivery() {
        sqs.sendMessage(b -> b.queueUrl(stack.queueUrl("RedactQueue")).messageBody("throw-1"));

        awaitDeadLettered("throw-1");

        assertThat(invocations().of("redact")).filteredOn("throw-1"::equals).hasSize(2);
    }

    /** Waits for a body on the redact DLQ; deletes what it reads so tests sharing the DLQ do not see each other's. */
    private static void awaitDeadLettered(String body) {
        List<String> deadLettered = new ArrayList<>();
        String dlq = stack.queueUrl("RedactDLQ");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                deadLettered.add(message.body());
                sqs.deleteMessage(b -> b.queueUrl(dlq).receiptHandle(message.receiptHandle()));
            }
            return deadLettered.contains(body);
        });
    }

    @Test
    void aTableWriteReachesItsStreamFunctionWithBothImagesInOrder() {
        try (var dynamo = dynamoDbClient(stack)) {
            String table = stack.tableName("IncidentsTable");
            dynamo.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS("inc-stream-1"), "status", AttributeValue.fromS("RECEIVED"))));
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS("inc-stream-1")))
                    .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("ANALYZED"))));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> invocations().of("relay").contains("MODIFY inc-stream-1 RECEIVED>ANALYZED"));
        assertThat(invocations().of("relay")).containsSubsequence("INSERT inc-stream-1 ->RECEIVED", "MODIFY inc-stream-1 RECEIVED>ANALYZED");
    }

    @Test
    void aStreamRecordThatKeepsFailingIsRetriedThenDescribedOnTheFailureQueueAndTheShardMovesOn() {
        try (var dynamo = dynamoDbClient(stack)) {
            String table = stack.tableName("IncidentsTable");
            dynamo.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS("inc-stream-2"), "status", AttributeValue.fromS("FAIL"))));
            dynamo.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS("inc-stream-3"), "status", AttributeValue.fromS("RECEIVED"))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> invocations().of("relay").contains("INSERT inc-stream-3 ->RECEIVED"));
        // the first try and MaximumRetryAttempts (2) retries once the bisected batch holds it alone (the two records
        // may have come in one batch, tried once together), and the record after it only once it was given up
        assertThat(invocations().of("relay")).filteredOn("INSERT inc-stream-2 ->FAIL"::equals).hasSizeBetween(3, 4);
        assertThat(invocations().of("relay").indexOf("INSERT inc-stream-3 ->RECEIVED"))
                .isGreaterThan(invocations().of("relay").lastIndexOf("INSERT inc-stream-2 ->FAIL"));
        var failed = sqs.receiveMessage(b -> b.queueUrl(stack.queueUrl("RelayDLQ")).waitTimeSeconds(5)).messages();
        assertThat(failed).singleElement().satisfies(m -> assertThat(m.body())
                .contains("\"condition\":\"RetryAttemptsExhausted\"").contains("DDBStreamBatchInfo").contains("\"batchSize\":1"));
    }

    @Test
    void putEventsThroughTheRealClientIsRoutedByARuleToItsQueue() throws Exception {
        PutEventsResponse response = eventBridge.putEvents(b -> b.entries(PutEventsRequestEntry.builder()
                .eventBusName("awoooi-prod").source("awoooi").detailType("Incident Analyzed")
                .detail("{\"incidentId\":\"inc-7\"}").build()));

        assertThat(response.failedEntryCount()).isZero();
        await().atMost(Duration.ofSeconds(15)).until(() -> !invocations().of("approve").isEmpty());
        Map<String, Object> event = Json.MAPPER.readValue((String) invocations().of("approve").getFirst(), new TypeReference<>() {
        });
        assertThat(event).containsEntry("version", "0").containsEntry("detail-type", "Incident Analyzed")
                .containsEntry("source", "awoooi").containsEntry("account", Intrinsics.ACCOUNT_ID)
                .containsEntry("region", stack.region()).containsEntry("detail", Map.of("incidentId", "inc-7"))
                .containsEntry("id", response.entries().getFirst().eventId());
    }

    @Test
    void anEventNoRuleMatchesGoesNowhereAndAnUnknownBusIsAnError() {
        PutEventsResponse response = eventBridge.putEvents(b -> b.entries(PutEventsRequestEntry.builder()
                .eventBusName("awoooi-prod").source("elsewhere").detailType("Incident Analyzed").detail("{}").build()));
        assertThat(response.failedEntryCount()).isZero();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> eventBridge.putEvents(b -> b.entries(PutEventsRequestEntry.builder()
                        .eventBusName("no-such-bus").source("awoooi").detailType("X").detail("{}").build())))
                .isInstanceOf(software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException.class);
    }

    @Test
    void notifyDeliversSignedNotificationsToTheOutbox() throws Exception {
        eventBridge.putEvents(b -> b.entries(PutEventsRequestEntry.builder()
                .eventBusName("awoooi-prod").source("awoooi").detailType("Approval Requested")
                .detail("{\"incidentId\":\"inc-9\",\"link\":\"http://127.0.0.1/approvals/inc-9\"}").build()));

        await().atMost(Duration.ofSeconds(15)).until(() -> !stack.outbox().isEmpty());
        assertThat(stack.outbox().getFirst()).containsEntry("detail-type", "Approval Requested").containsKey("receivedAt");
        assertThat(get("/local/outbox").body()).contains("inc-9");
        assertThat(get("/local/outbox/page").body()).contains("href=\"http://127.0.0.1/approvals/inc-9\"");
    }

    @Test
    void theOutboxRefusesAnUnsignedDelivery() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/local/outbox"))
                .header(Outbox.SIGNATURE_HEADER, "sha256=" + "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofString("{\"forged\":true}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(stack.outbox()).noneMatch(n -> n.containsKey("forged"));
    }

    @Test
    void aScheduleRunsOnDemandWithItsInput() throws Exception {
        assertThat(stack.runSchedule("FinopsScanFunction")).isEqualTo(Map.of("scanned", "finops", "by", "finopsScan"));

        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/local/schedules/AssetScanFunction/run"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/local/schedules/AssetScanFunction/run"))
                .header("Authorization", "Bearer " + stack.webhookToken())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"scanned\":\"assets\"");
        assertThat(invocations().of("assetScan")).contains(Map.of("scan", "assets"));
    }

    @Test
    void theFunctionsSeeTheTemplateEnvironmentAndTheLocalEndpoints() {
        var environment = stack.applicationContext().getEnvironment();
        assertThat(environment.getProperty("awoooi.tables.incidents")).isEqualTo("IncidentsTable");
        assertThat(environment.getProperty("awoooi.queues.redact")).isEqualTo(stack.queueUrl("RedactQueue"));
        assertThat(environment.getProperty("awoooi.eventbus")).isEqualTo("awoooi-prod");
        assertThat(environment.getProperty("awoooi.endpoints.dynamodb")).isEqualTo(stack.dynamoEndpoint().toString());
        assertThat(environment.getProperty("awoooi.endpoints.sqs")).isEqualTo(stack.sqsEndpoint().toString());
        assertThat(environment.getProperty("awoooi.publicbaseurl")).isEqualTo(stack.baseUrl());
        assertThat(environment.getProperty("awoooi.chat.webhookurl")).isEqualTo(stack.baseUrl() + "/local/outbox");
        assertThat(environment.getProperty("awoooi.cluster.url")).isEqualTo(stack.clusterUrl());
        assertThat(environment.getProperty("awoooi.sealkey")).isNotBlank();
        assertThat(environment.getProperty("java.tool.options")).isNull();
    }

    @Test
    void aRuleAddedToTheTemplateRoutesLocallyWithNoJavaChange() throws IOException {
        String template = Files.readString(LocalStack.findTemplate(Path.of("").toAbsolutePath()));
        String addition = """
                  AuditTrailQueue:
                    Type: AWS::SQS::Queue
                  HighRiskExecutionRule:
                    Type: AWS::Events::Rule
                    Properties:
                      EventBusName: !Ref EventBus
                      EventPattern:
                        source: [awoooi]
                        detail-type: [Execution Succeeded]
                        detail:
                          risk: [high]
                      Targets:
                        - Id: audit-trail
                          Arn: !GetAtt AuditTrailQueue.Arn

                """;
        int outputs = template.indexOf("\nOutputs:");
        Path file = Files.writeString(temp.resolve("template-with-rule.yaml"),
                template.substring(0, outputs + 1) + addition + template.substring(outputs + 1));

        try (LocalStack extended = LocalStack.start(LocalStack.Options.defaults().withTemplate(file).withPort(0)
                .withApplication(RecordingFunctions.class).withTimedSchedules(false).withDemoCluster(false));
             EventBridgeClient events = eventBridgeClient(extended);
             SqsClient queues = sqsClient(extended)) {
            events.putEvents(b -> b.entries(
                    PutEventsRequestEntry.builder().eventBusName("awoooi-prod").source("awoooi")
                            .detailType("Execution Succeeded").detail("{\"risk\":\"low\",\"n\":1}").build(),
                    PutEventsRequestEntry.builder().eventBusName("awoooi-prod").source("awoooi")
                            .detailType("Execution Succeeded").detail("{\"risk\":\"high\",\"n\":2}").build()));

            List<Message> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                received.addAll(queues.receiveMessage(b -> b.queueUrl(extended.queueUrl("AuditTrailQueue"))
                        .waitTimeSeconds(1).maxNumberOfMessages(10)).messages());
                return !received.isEmpty();
            });
            assertThat(received).hasSize(1);
            assertThat(received.getFirst().body()).contains("\"risk\":\"high\"").doesNotContain("\"risk\":\"low\"");
        }
    }

    private static RecordingFunctions.Invocations invocations() {
        return stack.applicationContext().getBean(RecordingFunctions.Invocations.class);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + path))
                        .header("Authorization", "Bearer " + stack.webhookToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static DynamoDbClient dynamoDbClient(LocalStack stack) {
        return DynamoDbClient.builder().endpointOverride(stack.dynamoEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static SqsClient sqsClient(LocalStack stack) {
        return SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static EventBridgeClient eventBridgeClient(LocalStack stack) {
        return EventBridgeClient.builder().endpointOverride(stack.eventBridgeEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
