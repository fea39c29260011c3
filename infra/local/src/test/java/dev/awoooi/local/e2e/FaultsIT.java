package dev.awoooi.local.e2e;

import dev.awoooi.cluster.KubernetesActions;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.Interposer;
import dev.awoooi.local.LocalStack;
import dev.awoooi.local.storm.AlertStorm;
import dev.awoooi.local.storm.Redelivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform failing under the functions, on the embedded stack: the functions reach the bus and DynamoDB through an
 * {@link Interposer} that takes the bus down for a whole minute or throttles DynamoDB the way the services do, and the
 * cluster through one that loses the answer to a restart; every incident still ends where a person sees it, with
 * nothing lost, executed twice, carded twice or guessed.
 */
class FaultsIT {
    static LocalStack stack;
    static Interposer bus;
    static Interposer dynamo;
    static Interposer kube;

    @BeforeAll
    static void start() throws Exception {
        bus = new Interposer(URI.create("http://127.0.0.1:9"));
        dynamo = new Interposer(URI.create("http://127.0.0.1:9"));
        kube = new Interposer(URI.create("http://127.0.0.1:9"));
        // timed schedules on: the reconciler runs every minute, as in AWS (the scans' nightly crons do not fire meanwhile)
        stack = LocalStack.start(Redelivery.options(LocalStack.Options.defaults().withPort(0)
                .withProperty("awoooi.endpoints.eventbridge", bus.endpoint().toString())
                .withProperty("awoooi.endpoints.dynamodb", dynamo.endpoint().toString())
                .withProperty("awoooi.cluster.url", kube.endpoint().toString())));
        bus.upstream(stack.eventBridgeEndpoint());
        dynamo.upstream(stack.dynamoEndpoint());
        kube.upstream(URI.create(stack.clusterUrl()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (bus != null) {
            bus.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        if (kube != null) {
            kube.close();
        }
    }

    @Test
    void withTheBusDownForAMinuteTheEventsWaitInTheOutboxAndGoOutWhenItIsBack() throws Exception {
        bus.down(Duration.ofMinutes(1));
        Instant back = Instant.now().plus(Duration.ofMinutes(1));
        String run = AlertStorm.newRun();
        var answer = StackContents.post(stack, "/alerts/alertmanager",
                JsonMapper.builder().build().writeValueAsString(AlertStorm.delivery(0, "postgres-db", AlertStorm.fingerprint(run, 0))),
                "Authorization", "Bearer " + stack.webhookToken(), "Content-Type", "application/json");
        assertThat(answer.statusCode()).isEqualTo(202);
        String id = JsonMapper.builder().build().readTree(answer.body()).get("incidents").get(0).get("id").asString();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> stack.outbox().stream()
                .anyMatch(c -> id.equals(c.get("incidentId")) && "Approval Requested".equals(c.get("kind"))));

        assertThat(Instant.now()).as("carded only once the bus was back").isAfter(back);
        assertThat(bus.faults()).as("the relay kept trying while the bus was down").isGreaterThan(3);
        assertThat(StackContents.items(stack, "IncidentsTable").stream().filter(i -> id.equals(i.get("id").s())).findFirst()
                .orElseThrow().get("status").s()).isEqualTo("AWAITING_APPROVAL");
        assertThat(stack.outbox().stream().filter(c -> id.equals(c.get("incidentId")))).as("one card, not one per retry").hasSize(1);
        assertThat(StackContents.messages(stack, "RelayDLQ")).isZero();
    }

    @Test
    void withATenthOfDynamoDbCallsThrottledEveryIncidentStillEndsOnceAndIsCardedOnce() throws Exception {
        dynamo.throttle(0.1, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
        try {
            Redelivery.Result result = Redelivery.run(stack, 40, 4, Duration.ofMinutes(8));
            System.out.println("throttled: " + result.summary() + "; throttled calls " + dynamo.faults());
            assertThat(result.notTerminal()).isZero();
            assertThat(result.statuses()).isEqualTo(Map.of("SUCCEEDED", 40));
            assertThat(result.doubleExecutions()).isZero();
            assertThat(result.duplicateCards()).isZero();
            assertThat(result.cards()).isEqualTo(80);
            assertThat(dynamo.faults()).as("the throttling was real").isGreaterThan(50);
        } finally {
            dynamo.throttle(0, null);
        }
    }

    @Test
    void anApplyWhoseAnswerWasLostIsSettledFromWhatTheClusterShowsAndNeverSentTwice() throws Exception {
        KubernetesActions cluster = stack.applicationContext().getBean(KubernetesActions.class);
        IncidentStore incidents = stack.applicationContext().getBean(IncidentStore.class);
        TargetState before = cluster.state(Plans.DB).orElseThrow();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Incident approved = Plans.approvedRestart(before.fingerprint(Plans.RESTART_DB), at);
        incidents.create(approved);
        kube.loseNextAnswer("PATCH", "/statefulsets/postgres-db", Duration.ofSeconds(35)); // past the client's 30 s

        try (var sqs = software.amazon.awssdk.services.sqs.SqsClient.builder().endpointOverride(stack.sqsEndpoint())
                .region(software.amazon.awssdk.regions.Region.of(stack.region()))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local"))).build()) {
            String order = JsonMapper.builder().build().writeValueAsString(Map.of("detail-type", "Approval Granted", "source", "awoooi",
                    "detail", Map.of("incidentId", approved.id(), "planHash", approved.analysis().planHash())));
            sqs.sendMessage(r -> r.queueUrl(stack.queueUrl("ExecuteQueue")).messageBody(order));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> incidents.find(approved.id()).orElseThrow().status().terminal());

        Incident settled = incidents.find(approved.id()).orElseThrow();
        assertThat(settled.status()).as(String.valueOf(settled.reason())).isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(settled.execution().detail()).startsWith("the apply got no answer, and the target shows it done");
        assertThat(kube.faults()).as("the restart's answer was lost").isEqualTo(1);
        assertThat(cluster.state(Plans.DB).orElseThrow().generation()).as("restarted once, not resent")
                .isEqualTo(before.generation() + 1);
    }
}
