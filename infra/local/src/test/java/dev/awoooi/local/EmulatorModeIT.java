package dev.awoooi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Emulator mode against moto's server, which these machines have (Docker, and so LocalStack, they do not):
 * the template is provisioned in the emulator, the emulator routes events, the runner polls its queues.
 * Skipped where {@code moto_server} is not on the PATH.
 */
class EmulatorModeIT {

    private static MotoServer moto;
    private static LocalStack stack;
    private static URI endpoint;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        endpoint = moto.endpoint();

        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withAwsEndpoint(endpoint)
                .withApplication(RecordingFunctions.class).withTimedSchedules(false).withDemoCluster(false));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void everyEndpointIsTheEmulator() {
        assertThat(stack.dynamoEndpoint()).isEqualTo(endpoint);
        assertThat(stack.sqsEndpoint()).isEqualTo(endpoint);
        assertThat(stack.eventBridgeEndpoint()).isEqualTo(endpoint);
        assertThat(stack.applicationContext().getEnvironment().getProperty("awoooi.endpoints.eventbridge")).isEqualTo(endpoint.toString());
    }

    @Test
    void theTemplateTablesExistInTheEmulator() {
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(stack.region()))
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            assertThat(dynamoDb.listTables().tableNames()).contains("IncidentsTable", "VaultTable", "IdempotencyTable");
            assertThat(dynamoDb.describeTimeToLive(b -> b.tableName("VaultTable")).timeToLiveDescription().attributeName())
                    .isEqualTo("expiresAt");
        }
    }

    @Test
    void theEmulatorRoutesEventsToTheQueueTheRunnerPolls() throws IOException {
        try (EventBridgeClient eventBridge = EventBridgeClient.builder().endpointOverride(endpoint).region(Region.of(stack.region()))
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            assertThat(eventBridge.putEvents(b -> b.entries(PutEventsRequestEntry.builder().eventBusName("awoooi-prod")
                    .source("awoooi").detailType("Approval Granted").detail("{\"incidentId\":\"inc-5\"}").build())).failedEntryCount()).isZero();
        }

        RecordingFunctions.Invocations invocations = stack.applicationContext().getBean(RecordingFunctions.Invocations.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> !invocations.of("execute").isEmpty());
        Map<String, Object> event = Json.MAPPER.readValue((String) invocations.of("execute").getFirst(), new TypeReference<>() {
        });
        assertThat(event).containsEntry("detail-type", "Approval Granted").containsEntry("detail", Map.of("incidentId", "inc-5"));
    }

    @Test
    void aQueueMessageInTheEmulatorReachesItsFunction() {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.of(stack.region()))
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            sqs.sendMessage(b -> b.queueUrl(stack.queueUrl("AnalyzeQueue")).messageBody("from-the-emulator"));
        }
        RecordingFunctions.Invocations invocations = stack.applicationContext().getBean(RecordingFunctions.Invocations.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> invocations.of("analyze").contains("from-the-emulator"));
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
}
