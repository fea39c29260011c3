package dev.awoooi.local.e2e;

import dev.awoooi.action.Action;
import dev.awoooi.cluster.KubernetesActions;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.execution.ExecutionReport;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults that leave work behind, on the embedded stack with the real functions, each settled by the reconciler's run
 * (fired on demand here, every minute in AWS) into a terminal state and a card a person sees: an execution killed
 * after its mutation went out and one killed before, a request nobody decided, an analysis whose event was lost, an
 * analysis that never ran, and a message given up into a dead-letter queue.
 */
class ReconcilerIT {
    static LocalStack stack;
    static IncidentStore incidents;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false));
        incidents = stack.applicationContext().getBean(IncidentStore.class);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Ten minutes ago, to the millisecond: every bound of the reconciler has passed for what was written then. */
    static Instant earlier() {
        return Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
    }

    static Incident settledBy(String id, Duration patience) {
        await().atMost(patience).pollInterval(Duration.ofMillis(250)).until(() -> {
            stack.runSchedule("ReconcileFunction");
            return incidents.find(id).orElseThrow().status().terminal();
        });
        return incidents.find(id).orElseThrow();
    }

    static Map<String, Object> card(String id, String kind) {
        await().atMost(Duration.ofSeconds(20)).until(() -> stack.outbox().stream()
                .anyMatch(c -> id.equals(c.get("incidentId")) && kind.equals(c.get("kind"))));
        return stack.outbox().stream().filter(c -> id.equals(c.get("incidentId")) && kind.equals(c.get("kind"))).findFirst().orElseThrow();
    }

    @Test
    void anExecutionKilledAfterItsRestartWentOutIsSettledFromTheClusterAndNeverRestartedTwice() throws Exception {
        KubernetesActions cluster = stack.applicationContext().getBean(KubernetesActions.class);
        TargetState before = cluster.state(Plans.DB).orElseThrow();
        Instant at = earlier();
        Incident signed = Plans.analyzed(at);
        signed = signed.withAnalysis(Plans.restartOfTheDatabase(before.fingerprint(Plans.RESTART_DB), at));
        Incident executing = signed.moveTo(IncidentStatus.AWAITING_APPROVAL, at).withApproval(Plans.request(signed, at, Duration.ofHours(4)))
                .moveTo(IncidentStatus.APPROVED, at).moveTo(IncidentStatus.EXECUTING, at)
                .recording(ExecutionReport.applying("restart_statefulset", "statefulset/postgres-db in production", at, before), at);
        incidents.create(executing);
        // what the killed execution had sent before it died: the restart, stamped with its start
        cluster.apply(new Action.RestartStatefulSet("production", "postgres-db"), at);
        long generation = cluster.state(Plans.DB).orElseThrow().generation();

        Incident settled = settledBy(executing.id(), Duration.ofSeconds(90));

        assertThat(settled.status()).as(String.valueOf(settled.reason())).isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(settled.execution().detail()).startsWith("the execution stopped answering, and the target shows it done");
        assertThat(cluster.state(Plans.DB).orElseThrow().generation()).as("not restarted a second time").isEqualTo(generation);
        assertThat(card(executing.id(), "Execution Succeeded").get("title").toString()).startsWith("Done: ");
    }

    @Test
    void anExecutionKilledBeforeItSentAnythingFailsAndSaysNothingChanged() {
        Instant at = earlier();
        Incident signed = Plans.analyzed(at);
        Incident executing = signed.moveTo(IncidentStatus.AWAITING_APPROVAL, at).withApproval(Plans.request(signed, at, Duration.ofHours(4)))
                .moveTo(IncidentStatus.APPROVED, at).moveTo(IncidentStatus.EXECUTING, at);
        incidents.create(executing);

        Incident settled = settledBy(executing.id(), Duration.ofSeconds(60));

        assertThat(settled.status()).isEqualTo(IncidentStatus.FAILED);
        assertThat(settled.reason()).contains("before it sent anything").contains("nothing was changed");
        assertThat(card(executing.id(), "Execution Failed").get("text").toString()).contains("nothing was changed");
    }

    @Test
    void aRequestNobodyDecidedExpiresAndItsCardSaysSo() {
        Instant at = earlier();
        Incident analyzed = Plans.analyzed(at);
        Incident awaiting = analyzed.moveTo(IncidentStatus.AWAITING_APPROVAL, at).withApproval(Plans.request(analyzed, at, Duration.ofMinutes(1)));
        incidents.create(awaiting);

        Incident settled = settledBy(awaiting.id(), Duration.ofSeconds(30));

        assertThat(settled.status()).isEqualTo(IncidentStatus.EXPIRED);
        assertThat(card(awaiting.id(), "Approval Expired").get("title").toString()).startsWith("Expired: ");
    }

    @Test
    void anAnalyzedIncidentWhoseEventWasLostGetsItsApprovalRequestAndCard() {
        Incident analyzed = Plans.analyzed(earlier());
        incidents.create(analyzed);

        stack.runSchedule("ReconcileFunction");

        assertThat(incidents.find(analyzed.id()).orElseThrow().status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);
        assertThat(card(analyzed.id(), "Approval Requested").get("title").toString()).startsWith("Approval needed: ");
    }

    @Test
    void anIncidentWhoseAnalysisNeverRanFailsWithAReasonAPersonReads() {
        Instant at = earlier().minus(Duration.ofMinutes(10));
        Incident received = Incident.received(IncidentIds.next(at), "alertmanager", "fp-stuck", at, at);
        incidents.create(received);

        Incident settled = settledBy(received.id(), Duration.ofSeconds(30));

        assertThat(settled.status()).isEqualTo(IncidentStatus.FAILED);
        assertThat(card(received.id(), "Execution Failed").get("text").toString()).contains("not analyzed within 15 minutes");
    }

    @Test
    void aDeadLetterIsCardedOnceWithItsIncidentAndTheRedriveCommand() {
        String id = IncidentIds.next(Instant.now());
        try (SqsClient sqs = SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            sqs.sendMessage(r -> r.queueUrl(stack.queueUrl("AnalyzeDLQ")).messageBody("{\"incidentId\":\"" + id + "\",\"alertName\":\"x\"}"));
        }
        stack.runSchedule("ReconcileFunction");
        stack.runSchedule("ReconcileFunction");

        await().atMost(Duration.ofSeconds(20)).until(() -> stack.outbox().stream()
                .anyMatch(c -> "Dead Lettered".equals(c.get("kind")) && c.get("text").toString().contains(id)));
        var cards = stack.outbox().stream().filter(c -> "Dead Lettered".equals(c.get("kind")) && c.get("text").toString().contains(id)).toList();
        assertThat(cards).as("two runs, one card").hasSize(1);
        assertThat(cards.getFirst().get("text").toString()).contains("AnalyzeDLQ")
                .contains("aws sqs start-message-move-task --source-arn arn:aws:sqs:");
    }
}
