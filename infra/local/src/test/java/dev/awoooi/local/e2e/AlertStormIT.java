package dev.awoooi.local.e2e;

import dev.awoooi.local.LocalStack;
import dev.awoooi.local.storm.AlertStorm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storms on the embedded stack (the full 10,000-alert figures come from scripts/bench-storm): concurrent senders,
 * one alert per delivery, then every alert replayed; once redaction settles, every accepted alert is one item of
 * exactly the incident ingest named, and each service's storm is one incident (the demo's services: their incidents
 * wait for signatures, so they stay open for the whole storm).
 */
class AlertStormIT {
    static final int ALERTS = 1_500;
    static final int SENDERS = 16;
    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static Stream<List<String>> storms() {
        return Stream.of(AlertStorm.SPREAD, AlertStorm.SINGLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storms")
    void everyAcceptedAlertIsInExactlyOneIncidentAndEveryReplayIsADuplicate(List<String> services) throws Exception {
        AlertStorm storm = new AlertStorm(stack);
        String run = AlertStorm.newRun();
        AlertStorm.Report sent = storm.send("storm", run, ALERTS, services, SENDERS);

        assertThat(sent.incidentByFingerprint()).hasSize(ALERTS);
        assertThat(sent.outcomes()).as("one incident opened per service, every other alert joined it")
                .isEqualTo(Map.of("created", services.size(), "joined", ALERTS - services.size()));
        assertThat(sent.incidents()).hasSize(services.size());

        AlertStorm.Settled settled = storm.settle(sent, Duration.ofMinutes(5));
        assertThat(settled.queuesEmpty()).isTrue();
        assertThat(settled.alertItems()).as("no accepted alert lost, none recorded twice").isEqualTo(ALERTS);
        assertThat(settled.countedAlerts()).isEqualTo(ALERTS);
        Map<String, String> landed = new HashMap<>();
        settled.fingerprintsByIncident().forEach((incident, fingerprints) -> fingerprints.forEach(f ->
                assertThat(landed.put(f, incident)).as("alert " + f + " in two incidents").isNull()));
        assertThat(landed).as("each alert is in the incident ingest answered with").isEqualTo(sent.incidentByFingerprint());
        assertThat(AlertStorm.overlapping(sent, settled, services)).as("services with two incidents open at once").isEmpty();

        AlertStorm.Report replayed = storm.send("replay", run, ALERTS, services, SENDERS);
        assertThat(replayed.outcomes()).isEqualTo(Map.of("duplicate", ALERTS));
        assertThat(replayed.incidentByFingerprint()).isEqualTo(sent.incidentByFingerprint());
        System.out.printf("storm over %d services: %.0f alerts/s, p99 %.1f ms, %d retried; replay %.0f alerts/s, p99 %.1f ms%n",
                services.size(), sent.alertsPerSecond(), sent.percentile(99), sent.retries(), replayed.alertsPerSecond(), replayed.percentile(99));
    }

    @Test
    void aDeliveryKilledAfterItsClaimHoldsTheAlertOnlyUntilItsDeadline() throws Exception {
        String run = AlertStorm.newRun();
        String fingerprint = AlertStorm.fingerprint(run, 0);
        String delivery = JsonMapper.builder().build().writeValueAsString(AlertStorm.delivery(0, "killed-" + run, fingerprint));
        // What a delivery killed between its claim and its send leaves behind: an in-progress claim that ends with it.
        Instant deadline = Instant.now().plusSeconds(3);
        try (var dynamo = StackContents.dynamo(stack)) {
            dynamo.putItem(r -> r.tableName("IdempotencyTable").item(Map.of(
                    "key", AttributeValue.fromS("alert#" + fingerprint + "#2026-11-21T03:12:00Z"), "state", AttributeValue.fromS("INPROGRESS"),
                    "incidentId", AttributeValue.fromS("inc-0000000000killed0000"),
                    "expiresAt", AttributeValue.fromN(Long.toString(deadline.getEpochSecond())))));
        }
        var meanwhile = StackContents.post(stack, "/alerts/alertmanager", delivery, "Authorization", "Bearer " + stack.webhookToken(),
                "Content-Type", "application/json");
        assertThat(meanwhile.statusCode()).isEqualTo(503);
        assertThat(meanwhile.headers().firstValue("Retry-After")).isPresent();
        assertThat(meanwhile.body()).contains("\"outcome\":\"in_progress\"");
        Thread.sleep(Duration.between(Instant.now(), deadline).plusMillis(1_100).toMillis());
        var retried = StackContents.post(stack, "/alerts/alertmanager", delivery, "Authorization", "Bearer " + stack.webhookToken(),
                "Content-Type", "application/json");
        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(retried.body()).contains("\"outcome\":\"created\"");
        assertThat(StackContents.post(stack, "/alerts/alertmanager", delivery, "Authorization", "Bearer " + stack.webhookToken(),
                "Content-Type", "application/json").body()).contains("\"outcome\":\"duplicate\"");
    }
}
