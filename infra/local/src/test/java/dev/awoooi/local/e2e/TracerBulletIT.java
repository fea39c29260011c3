package dev.awoooi.local.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.awoooi.local.LocalStack;
import dev.awoooi.local.tracer.TracerBullet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end, as Alertmanager and two people drive it: the real functions on the embedded stack wired from
 * template.yaml, the tracer bullet over HTTP, and the privacy promise checked on everything that moved.
 */
class TracerBulletIT {
    static LocalStack stack;
    static ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String runBullet() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean passed = new TracerBullet(stack.baseUrl(), stack.webhookToken(), new PrintStream(out, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(60)).run();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(passed).as(printed).isTrue();
        return printed;
    }

    @Test
    void theFullLoopPassesTwiceOnOneStackAndNothingRawLeaks() throws Exception {
        assertThat(runBullet()).contains("5 passed, 0 failed");
        assertThat(runBullet()).as("the demo reset makes the loop repeatable").contains("5 passed, 0 failed");

        List<String> everything = new ArrayList<>();
        logs.list.forEach(e -> everything.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())));
        everything.addAll(stack.deliveredMessages());
        stack.outbox().forEach(card -> everything.add(card.toString()));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(stack.dynamoEndpoint())
                .region(Region.of(stack.region())).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            for (String table : List.of("IncidentsTable", "AuditTable", "IdempotencyTable", "VaultTable")) {
                dynamo.scan(r -> r.tableName(table)).items().forEach(item -> everything.add(item.toString()));
            }
            var vault = dynamo.scan(r -> r.tableName("VaultTable")).items();
            assertThat(vault).as("the vault keeps both planted values for both incidents").hasSize(4)
                    .allSatisfy(item -> assertThat(item.get("sealed").s()).isNotBlank());
        }
        assertThat(stack.deliveredMessages()).as("queues carried work").isNotEmpty();
        assertThat(everything).noneMatch(line -> line.contains(TracerBullet.RAW_IP) || line.contains(TracerBullet.RAW_EMAIL));
        assertThat(String.join("\n", stack.deliveredMessages())).contains("[IP_1]").contains("[EMAIL_1]");
    }

    @Test
    void badInputGetsAClearClientError() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var noToken = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/alerts/alertmanager"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        var notJson = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/alerts/alertmanager"))
                .header("Authorization", "Bearer " + stack.webhookToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not valid JSON");
        var notAlertmanager = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/alerts/alertmanager"))
                .header("Authorization", "Bearer " + stack.webhookToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":\"world\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notAlertmanager.statusCode()).isEqualTo(400);
        assertThat(notAlertmanager.body()).contains("version");
        var outbox = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/local/outbox")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(outbox.statusCode()).as("the outbox holds approval links: it needs the token").isEqualTo(401);
    }
}
