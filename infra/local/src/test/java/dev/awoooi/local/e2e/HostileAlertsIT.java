package dev.awoooi.local.e2e;

import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts whose own text tries to widen what AWOOOI does, over HTTP on the embedded stack with the real functions and
 * the demo cluster (scope: the production namespace, no nodes): a restart in kube-system, a suggestion reaching into
 * another namespace, {@code --all}, a label naming an unmanaged namespace, a suggestion asking for less than AWOOOI's
 * own plan and one asking for more. Nothing outside the scope runs or is even simulated, nothing runs with fewer
 * signatures than AWOOOI's own plan would need, and every refusal is in the audit table. Then the honest outcome of an
 * alert nobody can act on: an open investigation with its findings, never "succeeded", and a repeat that reminds.
 */
class HostileAlertsIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Where an incident stops when nothing runs by itself: the statuses it may never reach here. */
    static final Set<IncidentStatus> RAN = EnumSet.of(IncidentStatus.APPROVED, IncidentStatus.EXECUTING, IncidentStatus.SUCCEEDED);
    static LocalStack stack;
    static IncidentStore incidents;

    @BeforeAll
    static void start() {
        // people are told again at most once per 2 s here (an hour by default), so the test need not wait an hour
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false)
                .withProperty("awoooi.intake.renotify", "2s"));
        incidents = stack.applicationContext().getBean(IncidentStore.class);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Sends one Alertmanager alert; returns the incident it opened. */
    static String send(String fingerprint, String service, String namespace, String suggestion) throws Exception {
        return StackContents.alert(stack, fingerprint, service, namespace, suggestion);
    }

    /** The incident once the loop has done all it will do by itself: handed to a person, or asking for signatures. */
    static Incident settled(String id) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> incidents.find(id)
                .map(i -> i.status() == IncidentStatus.INVESTIGATING || i.status() == IncidentStatus.AWAITING_APPROVAL
                        || i.status().terminal()).orElse(false));
        return incidents.find(id).orElseThrow();
    }

    static List<String> audited(String id) {
        return StackContents.items(stack, "AuditTable").stream().filter(item -> id.equals(item.get("subject") == null ? null : item.get("subject").s()))
                .map(item -> item.get("what").s() + " " + item.toString()).toList();
    }

    static List<Map<String, Object>> cards(String id) {
        return stack.outbox().stream().filter(card -> id.equals(card.get("incidentId"))).toList();
    }

    @Test
    void alertTextNeverWidensWhatRunsNorLowersTheSignaturesItNeeds() throws Exception {
        // one service each: alerts of one service within the grouping window would join one incident
        Map<String, String> refusedInScope = Map.of(
                "kube-system", send("bad001", "coredns", "kube-system", "kubectl rollout restart deployment/coredns -n kube-system"),
                "another namespace", send("bad002", "frontend", "production", "kubectl rollout restart deployment/frontend -n payments"),
                "--all", send("bad003", "auth-service", "production", "kubectl delete pods --all -n production"),
                "an unmanaged namespace's label", send("bad004", "product-api", "team-x", "kubectl rollout restart deployment/product-api"),
                "a node", send("bad005", "ingress", "production", "kubectl drain worker-1"));
        for (var hostile : refusedInScope.entrySet()) {
            Incident incident = settled(hostile.getValue());
            assertThat(incident.status()).as(hostile.getKey() + ": " + incident.reason()).isEqualTo(IncidentStatus.INVESTIGATING);
            assertThat(incident.analysis().action().type()).as(hostile.getKey()).isEqualTo("investigate");
            assertThat(incident.analysis().suggestion().outcome()).as(hostile.getKey()).isEqualTo("REFUSED");
            assertThat(audited(incident.id())).as(hostile.getKey() + ": the refusal is audited")
                    .anyMatch(entry -> entry.startsWith("suggestion_refused") || entry.startsWith("scope_refused"));
            await(hostile.getKey() + ": its card").atMost(Duration.ofSeconds(20)).until(() -> cards(incident.id()).stream()
                    .anyMatch(card -> card.get("title").toString().startsWith("Investigate: ")));
        }
        Incident kubeSystem = incidents.find(refusedInScope.get("kube-system")).orElseThrow();
        assertThat(kubeSystem.analysis().scopeRefusal()).contains("kube-system");
        assertThat(kubeSystem.analysis().findings().gaps()).anyMatch(gap -> gap.contains("outside AWOOOI's scope"));
        assertThat(audited(kubeSystem.id())).anyMatch(entry -> entry.startsWith("scope_refused"));

        // Its own plan restarts the crash-looping database (production, data at stake: HIGH, two signatures). A runbook
        // asking for an order-api restart instead (MEDIUM by itself) still needs the two; one asking to delete the
        // database's volume (CRITICAL) needs the CTO and the CISO. Neither runs before they sign.
        Incident milder = settled(send("bad006", "order-api", "production", "kubectl rollout restart deployment/order-api -n production"));
        assertThat(milder.status()).as(String.valueOf(milder.reason())).isEqualTo(IncidentStatus.AWAITING_APPROVAL);
        assertThat(milder.analysis().action().type()).isEqualTo("restart_deployment");
        assertThat(milder.analysis().suggestion().outcome()).isEqualTo("ACCEPTED");
        assertThat(milder.approval().risk().name()).isEqualTo("HIGH");
        assertThat(milder.approval().requirement().count()).isEqualTo(2);
        assertThat(milder.analysis().risk().reasons()).anyMatch(r -> r.contains("AWOOOI's own plan"));

        Incident riskier = settled(send("bad007", "rabbitmq", "production", "kubectl delete pvc data-postgres-db-0 -n production"));
        assertThat(riskier.status()).as(String.valueOf(riskier.reason())).isIn(IncidentStatus.AWAITING_APPROVAL, IncidentStatus.FAILED);
        if (riskier.status() == IncidentStatus.AWAITING_APPROVAL) {
            assertThat(riskier.approval().risk().name()).isEqualTo("CRITICAL");
        }

        for (String id : List.of(milder.id(), riskier.id())) {
            assertThat(incidents.find(id).orElseThrow().status()).isNotIn(RAN);
        }
        for (String id : refusedInScope.values()) {
            assertThat(incidents.find(id).orElseThrow().status()).as("still open, nothing ran").isEqualTo(IncidentStatus.INVESTIGATING);
            assertThat(incidents.find(id).orElseThrow().execution()).isNull();
        }
    }

    @Test
    void anAlertNobodyCanActOnIsAnOpenInvestigationWithFindingsAndItsRepeatReminds() throws Exception {
        String id = send("9057001", "ghost-service", "production", null);
        Incident incident = settled(id);
        assertThat(incident.status()).isEqualTo(IncidentStatus.INVESTIGATING);
        assertThat(incident.analysis().findings()).isNotNull();
        assertThat(incident.analysis().findings().subject()).isEqualTo("namespace production");
        await().atMost(Duration.ofSeconds(20)).until(() -> cards(id).stream().anyMatch(c -> "Investigation Opened".equals(c.get("kind"))));
        Map<String, Object> card = cards(id).stream().filter(c -> "Investigation Opened".equals(c.get("kind"))).findFirst().orElseThrow();
        assertThat(card.get("title").toString()).startsWith("Investigate: ");
        assertThat(card.get("text").toString()).contains("Nothing was changed").contains("Looked at namespace production");
        assertThat(cards(id)).noneMatch(c -> c.get("title").toString().startsWith("Done: ") || c.get("title").toString().contains("Fixed"));

        Thread.sleep(2_500); // past the renotify window since people were told (this repeat is the first the front door checks)
        String again = send("9057001", "ghost-service", "production", null); // Alertmanager's repeat of the same firing
        assertThat(again).isEqualTo(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> cards(id).stream().anyMatch(c -> "Still Firing".equals(c.get("kind"))));
        assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.INVESTIGATING);
        assertThat(incidents.find(id).orElseThrow().reminders().count()).isEqualTo(1);
    }

    @Test
    void aCrashLoopingWorkloadsFindingsShowItsEventsRestartsAndTheLogOfTheRunThatDied() throws Exception {
        // postgres-db crash-loops in the demo cluster; asking only to look (a read-only suggestion) makes an investigation of it.
        Incident incident = settled(send("100c001", "postgres-db", "production", "kubectl logs postgres-db-0 -n production"));
        assertThat(incident.status()).isEqualTo(IncidentStatus.INVESTIGATING);
        var findings = incident.analysis().findings();
        assertThat(findings.subject()).isEqualTo("statefulset/postgres-db in production");
        assertThat(findings.restarts()).anyMatch(line -> line.contains("restarts") && line.contains("CrashLoopBackOff"));
        assertThat(findings.events()).anyMatch(line -> line.contains("BackOff"));
        assertThat(findings.logs()).isNotEmpty();
        assertThat(findings.logs().getFirst().previous()).as("the run that died").isTrue();
    }
}
