package dev.awoooi.local.e2e;

import dev.awoooi.alert.GrafanaSignature;
import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Intake over HTTP on the embedded stack, as the senders deliver: a bad-input fuzz that must cause no 5xx and no
 * state, Grafana's signed webhook, the generic schema, grouping and resolution, and an alert over SQS's limit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntakeIT {
    static final String GRAFANA_SECRET = "grafana-hmac-secret-for-tests";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false)
                .withProperty("awoooi.grafanahmacsecret", GRAFANA_SECRET));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String token() {
        return "Bearer " + stack.webhookToken();
    }

    static HttpResponse<String> alertmanager(String body) throws Exception {
        return StackContents.post(stack, "/alerts/alertmanager", body, "Authorization", token(), "Content-Type", "application/json");
    }

    static ObjectNode alertmanagerPayload(String groupKey, String status, ObjectNode... alerts) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "4").put("groupKey", groupKey).put("truncatedAlerts", 0).put("status", status).put("receiver", "awoooi")
                .put("externalURL", "http://alertmanager:9093");
        root.putObject("groupLabels").put("alertname", "X");
        root.putObject("commonLabels");
        root.putObject("commonAnnotations");
        var array = root.putArray("alerts");
        for (ObjectNode alert : alerts) {
            array.add(alert);
        }
        return root;
    }

    static ObjectNode alert(String status, String name, String service, String fingerprint, String description) {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("status", status);
        alert.putObject("labels").put("alertname", name).put("service", service).put("namespace", "production").put("severity", "critical");
        alert.putObject("annotations").put("summary", name + " on " + service).put("description", description);
        alert.put("startsAt", "2026-11-21T03:12:00Z").put("endsAt", status.equals("resolved") ? "2026-11-21T03:40:00Z" : "0001-01-01T00:00:00Z")
                .put("generatorURL", "http://prometheus:9090/graph").put("fingerprint", fingerprint);
        return alert;
    }

    static JsonNode incident(String id) throws Exception {
        var response = StackContents.get(stack, "/incidents/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    @Order(1)
    void athousandBadBodiesGetClientErrorsAndLeaveNothingBehind() throws Exception {
        List<BadBody> bodies = BadBodies.generate(new Random(20261121), 1100);
        List<String> serverErrors = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        var grafana = new GrafanaSignature(GRAFANA_SECRET.getBytes(StandardCharsets.UTF_8));
        for (BadBody bad : bodies) {
            // Grafana deliveries are signed, so that the fault reaches the parser rather than the signature check.
            String now = String.valueOf(Instant.now().getEpochSecond());
            var response = bad.path().endsWith("grafana")
                    ? StackContents.post(stack, bad.path(), bad.body(), "Content-Type", bad.contentType(),
                    GrafanaSignature.SIGNATURE_HEADER, grafana.sign(bad.body(), now), GrafanaSignature.TIMESTAMP_HEADER, now)
                    : StackContents.post(stack, bad.path(), bad.body(), "Authorization", token(), "Content-Type", bad.contentType());
            if (response.statusCode() >= 500) {
                serverErrors.add(response.statusCode() + " " + bad.why() + ": " + response.body());
            } else if (response.statusCode() < 400) {
                accepted.add(bad.why() + ": " + bad.body().substring(0, Math.min(200, bad.body().length())));
            } else {
                assertThat(response.body()).as(bad.why()).contains("\"error\"");
            }
        }
        assertThat(serverErrors).as("5xx answers").isEmpty();
        assertThat(accepted).as("bad bodies that were accepted").isEmpty();
        Thread.sleep(1500);
        for (String table : List.of("IncidentsTable", "IdempotencyTable", "PayloadsTable", "VaultTable")) {
            assertThat(StackContents.items(stack, table)).as("nothing stored in " + table).isEmpty();
        }
        assertThat(stack.deliveredMessages()).as("nothing enqueued").isEmpty();
    }

    @Test
    @Order(2)
    void grafanaSignedDeliveriesAreAcceptedAndAnythingElseIsRefused() throws Exception {
        String body = new String(IntakeIT.class.getResourceAsStream("/grafana-webhook.json").readAllBytes(), StandardCharsets.UTF_8);
        var signature = new GrafanaSignature(GRAFANA_SECRET.getBytes(StandardCharsets.UTF_8));
        String now = String.valueOf(Instant.now().getEpochSecond());

        var bearerOnly = StackContents.post(stack, "/alerts/grafana", body, "Authorization", token(), "Content-Type", "application/json");
        assertThat(bearerOnly.statusCode()).isEqualTo(401);
        assertThat(bearerOnly.body()).contains("missing X-Grafana-Alerting-Signature");
        var tampered = StackContents.post(stack, "/alerts/grafana", body.replace("CheckoutLatencyHigh", "CheckoutLatencyLow"),
                GrafanaSignature.SIGNATURE_HEADER, signature.sign(body, now), GrafanaSignature.TIMESTAMP_HEADER, now);
        assertThat(tampered.statusCode()).isEqualTo(401);
        String old = String.valueOf(Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
        var replayed = StackContents.post(stack, "/alerts/grafana", body, GrafanaSignature.SIGNATURE_HEADER, signature.sign(body, old),
                GrafanaSignature.TIMESTAMP_HEADER, old);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("5 minutes");

        var signed = StackContents.post(stack, "/alerts/grafana", body, "Content-Type", "application/json",
                GrafanaSignature.SIGNATURE_HEADER, signature.sign(body, now), GrafanaSignature.TIMESTAMP_HEADER, now);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
        String id = JSON.readTree(signed.body()).get("incidents").get(0).get("id").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(incident(id).get("alerts")).hasSize(1));
        JsonNode incident = incident(id);
        assertThat(incident.get("source").asString()).isEqualTo("grafana");
        assertThat(incident.toString()).doesNotContain("sre.oncall@example.com").doesNotContain("198.51.100.77");
        assertThat(StackContents.items(stack, "VaultTable")).filteredOn(item -> item.get("incidentId").s().equals(id))
                .extracting(item -> item.get("label").s()).contains("[EMAIL_1]", "[IP_1]");
    }

    @Test
    @Order(3)
    void theGenericSchemaIsAcceptedAndItsMistakesAreNamed() throws Exception {
        String body = """
                {"source": "uptime-robot", "alerts": [{"name": "HealthcheckDown", "service": "billing-api", "severity": "warning",
                  "summary": "billing-api health check failed from 198.51.100.23", "startsAt": "2026-11-21T04:00:00Z",
                  "labels": {"region": "ap-east-1"}}]}""";
        var accepted = StackContents.post(stack, "/alerts/generic", body, "Authorization", token(), "Content-Type", "application/json");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("incidents").get(0).get("id").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(incident(id).get("summary").asString())
                .isEqualTo("billing-api health check failed from [IP_1]"));
        assertThat(incident(id).get("source").asString()).isEqualTo("generic:uptime-robot");

        var missing = StackContents.post(stack, "/alerts/generic", "{\"alerts\":[{\"service\":\"x\",\"startsAt\":\"2026-11-21T04:00:00Z\"}]}",
                "Authorization", token(), "Content-Type", "application/json");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("alerts[0].name is required");
    }

    @Test
    @Order(4)
    void oneGroupIsOneIncidentAndItsResolutionWithdrawsThePendingRequest() throws Exception {
        var firing = alertmanager(alertmanagerPayload("{}:{service=\"frontend\"}", "firing",
                alert("firing", "Frontend5xx", "frontend", "aa01", "5xx from 203.0.113.7"),
                alert("firing", "FrontendLatency", "frontend", "aa02", "p99 above 2s for 203.0.113.7")).toString());
        assertThat(firing.statusCode()).as(firing.body()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(firing.body()).get("incidents");
        String id = accepted.get(0).get("id").asString();
        assertThat(accepted.get(0).get("outcome").asString()).isEqualTo("created");
        assertThat(accepted.get(1).get("id").asString()).isEqualTo(id);
        assertThat(accepted.get(1).get("outcome").asString()).isEqualTo("joined");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(incident(id).get("status").asString()).isEqualTo("AWAITING_APPROVAL"));
        JsonNode pending = incident(id);
        assertThat(pending.get("alerts")).hasSize(2);
        assertThat(pending.toString()).doesNotContain("203.0.113.7");

        var oneResolved = alertmanager(alertmanagerPayload("{}:{service=\"frontend\"}", "firing",
                alert("resolved", "Frontend5xx", "frontend", "aa01", "5xx from 203.0.113.7"),
                alert("firing", "FrontendLatency", "frontend", "aa02", "p99 above 2s for 203.0.113.7")).toString());
        assertThat(JSON.readTree(oneResolved.body()).get("incidents").get(0).get("outcome").asString()).isEqualTo("resolved");
        assertThat(JSON.readTree(oneResolved.body()).get("incidents").get(1).get("outcome").asString()).isEqualTo("duplicate");
        var allResolved = alertmanager(alertmanagerPayload("{}:{service=\"frontend\"}", "resolved",
                alert("resolved", "Frontend5xx", "frontend", "aa01", "5xx from 203.0.113.7"),
                alert("resolved", "FrontendLatency", "frontend", "aa02", "p99 above 2s for 203.0.113.7")).toString());
        assertThat(allResolved.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(incident(id).get("status").asString()).isEqualTo("RESOLVED"));
        assertThat(incident(id).get("resolvedAt").isNull()).isFalse();
        // The approvers saw "Approval needed"; they are told it is withdrawn, once.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(stack.outbox())
                .filteredOn(n -> "Incident Recovered".equals(n.get("kind")) && id.equals(n.get("incidentId")))
                .singleElement().satisfies(n -> assertThat(String.valueOf(n.get("text"))).contains("withdrawn")));

        var unknown = alertmanager(alertmanagerPayload("g-unknown", "resolved", alert("resolved", "Never", "ghost", "ff99", "x")).toString());
        assertThat(JSON.readTree(unknown.body()).get("incidents").get(0).get("outcome").asString()).isEqualTo("unknown_firing");
    }

    @Test
    @Order(5)
    void anAlertOverTheQueueLimitTravelsByClaimCheckAndIsRedactedWhole() throws Exception {
        String filler = "connection pool exhausted; ".repeat(12_000);
        var big = alertmanager(alertmanagerPayload("big", "firing",
                alert("firing", "PoolExhausted", "inventory", "bb01", filler + " last client dba@example.com")).toString());
        assertThat(big.statusCode()).as(big.body()).isEqualTo(202);
        String id = JSON.readTree(big.body()).get("incidents").get(0).get("id").asString();
        assertThat(StackContents.items(stack, "PayloadsTable")).as("the sealed alert waits in parts").isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(incident(id).get("alerts")).hasSize(1));
        assertThat(StackContents.items(stack, "VaultTable")).anySatisfy(item -> assertThat(item.get("incidentId").s()).isEqualTo(id));
        assertThat(stack.deliveredMessages()).allSatisfy(message -> assertThat(message.length()).isLessThan(256 * 1024));
    }
}
