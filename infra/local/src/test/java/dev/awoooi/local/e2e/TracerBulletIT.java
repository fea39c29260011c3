package dev.awoooi.local.e2e;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.awoooi.local.LocalStack;
import dev.awoooi.local.tracer.TracerBullet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end, as Alertmanager and two people drive it: the real functions on the embedded stack wired from
 * template.yaml, the tracer bullet over HTTP, and the privacy promise checked on everything that moved.
 */
class TracerBulletIT {
    static LocalStack stack;
    static ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void start() {
        logs = StackContents.captureLogs();
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
        boolean passed = new TracerBullet(stack.baseUrl(), stack.webhookToken(), stack.readerToken(), new PrintStream(out, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(60)).run();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(passed).as(printed).isTrue();
        return printed;
    }

    @Test
    void theFullLoopPassesTwiceOnOneStackAndNothingRawLeaks() throws Exception {
        assertThat(runBullet()).contains("7 passed, 0 failed").contains("history: no similar past incident")
                .contains("HIGH risk, 2 signatures (" + TracerBullet.DB_PATTERN + " trusted 0/10: 10 more verified approvals and it needs one signature)")
                .contains(TracerBullet.DB_PATTERN + " trusted 1/10 (GET /trust)");
        assertThat(runBullet()).as("the demo reset makes the loop repeatable").contains("7 passed, 0 failed")
                .as("the second incident recalls the first and how its restart went")
                .contains("history: restart_statefulset fixed this 1 of the last 1 time it ran")
                .as("and the first approval counts toward the pattern's trust")
                .contains("(" + TracerBullet.DB_PATTERN + " trusted 1/10: 9 more verified approvals and it needs one signature)")
                .contains(TracerBullet.DB_PATTERN + " trusted 2/10 (GET /trust)");

        List<String> everything = StackContents.everything(stack, logs);
        assertThat(StackContents.items(stack, "VaultTable")).filteredOn(item -> item.get("label").s().startsWith("["))
                .as("the vault keeps both planted values for both incidents").hasSize(4)
                .allSatisfy(item -> assertThat(item.get("sealed").s()).isNotBlank());
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
