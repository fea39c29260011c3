package dev.awoooi.execution;

import dev.awoooi.action.Action;
import dev.awoooi.action.ObjectRef;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.action.Scope;
import dev.awoooi.analysis.Analysis;
import dev.awoooi.analysis.SimilarIncidents;
import dev.awoooi.analysis.TopologySummary;
import dev.awoooi.dryrun.DryRunReport;
import dev.awoooi.dryrun.FakeCluster;
import dev.awoooi.dryrun.TargetState;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.RacyStore;
import dev.awoooi.privacy.Vault;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The executor: once per plan, on the real target, only while the cluster is as signed, and verified. */
class ExecutorTest {
    static final Instant NOW = Instant.parse("2026-11-21T03:30:00Z");
    static final ObjectRef DB = ObjectRef.of(ObjectRef.Kind.STATEFULSET, "production", "postgres-db");
    static final TargetState SIGNED = TargetState.of("uid-1", 3, "spec", 1, 0, true);
    static final Action RESTART = new Action.RestartStatefulSet("production", "postgres-db");

    final RacyStore incidents = new RacyStore();
    final FakeCluster cluster = new FakeCluster().with(DB, SIGNED);
    final List<Action> applied = new ArrayList<>();
    final Set<String> claims = new HashSet<>();
    /** Target object (keyed hash) → the incident whose execution holds it. */
    final Map<String, String> heldTargets = new HashMap<>();
    final Map<String, String> vault = new HashMap<>(Map.of("[NAME_1]", "postgres-db"));
    ClusterActuator.Verification verification = new ClusterActuator.Verification(true, "rollout complete: 1/1 ready");
    RuntimeException applyFails;
    RuntimeException verifyFails;
    Runnable beforeApply = () -> { };
    int verifications;

    final Executor executor = new Executor(incidents, new ExecutionClaims() {
        public boolean claim(String key, Duration ttl) {
            return claims.add(key);
        }

        public void complete(String key) {
        }

        public Optional<String> holdTarget(String target, String incidentId, Duration ttl) {
            String holder = heldTargets.putIfAbsent(target, incidentId);
            return Optional.ofNullable(holder).filter(h -> !h.equals(incidentId));
        }

        public void releaseTarget(String target, String incidentId) {
            heldTargets.remove(target, incidentId);
        }
    }, new Vault() {
        public Map<String, String> labels(String incidentId, Map<String, String> typeByValue) {
            throw new UnsupportedOperationException("the executor only reveals");
        }

        public Map<String, String> open(String incidentId) {
            return vault;
        }

        public Optional<String> reveal(String incidentId, String label) {
            return Optional.ofNullable(vault.get(label));
        }
    }, new Scope(Set.of("production"), false), cluster, new ClusterActuator() {
        public void apply(Action action, Instant at) {
            beforeApply.run();
            if (applyFails != null) {
                throw applyFails;
            }
            applied.add(action);
        }

        public Verification verify(Action action, TargetState before, Instant at, Duration timeout) {
            if (verifyFails != null) {
                throw verifyFails;
            }
            verifications++;
            return verification;
        }
    }, (subject, what, detail) -> { }, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(5));

    private Incident approved(Action action, String fingerprint) {
        Analysis analysis = new Analysis(List.of(), List.of(), action, "test", null, null, new RiskAssessment(RiskLevel.HIGH, List.of("x")),
                new DryRunReport(List.of(), fingerprint), null, 1.0, SimilarIncidents.none(), new TopologySummary(0, 0, Map.of(), List.of()),
                "plan-1", NOW);
        Incident incident = Incident.received("inc-1", "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW)
                .withAnalysis(analysis).moveTo(IncidentStatus.APPROVED, NOW);
        incidents.create(incident);
        return incident;
    }

    @Test
    void actsOnTheRestoredTargetAndVerifies() {
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(applied).containsExactly(new Action.RestartStatefulSet("production", "postgres-db"));
        Incident done = incidents.find("inc-1").orElseThrow();
        assertThat(done.execution().verified()).isTrue();
        assertThat(done.execution().target()).as("the stored report names the pseudonym, not the value").contains("[NAME_1]");
        assertThat(incidents.announced).singleElement().isInstanceOf(DomainEvent.ExecutionSucceeded.class);
    }

    @Test
    void aTargetAnotherExecutionIsChangingVoidsThisOneAndIsReleasedByItsHolderOnly() {
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        String key = TargetState.sha256(DB.toString());
        heldTargets.put(key, "inc-other");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.VOIDED);
        assertThat(applied).isEmpty();
        assertThat(incidents.find("inc-1").orElseThrow().reason())
                .contains("statefulset/[NAME_1] in production is being changed by the execution of inc-other").doesNotContain("postgres-db");
        assertThat(heldTargets).as("the other execution still holds its target").containsEntry(key, "inc-other");
    }

    @Test
    void anApplyWhoseAnswerWasLostIsSettledByWhatTheTargetShowsAndNeverSentAgain() {
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        applyFails = new AnswerLostException("restart got no answer (SocketTimeoutException)", null);
        assertThat(executor.execute("inc-1", "plan-1")).as("the restart landed: the target shows it").isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(incidents.find("inc-1").orElseThrow().execution().detail()).startsWith("the apply got no answer, and the target shows it done");
        assertThat(verifications).isEqualTo(1);
    }

    @Test
    void anApplyWhoseAnswerWasLostAndThatTheTargetDoesNotShowFails() {
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        applyFails = new AnswerLostException("restart got no answer (SocketTimeoutException)", null);
        verification = new ClusterActuator.Verification(false, "restart stamp not yet observed");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(incidents.find("inc-1").orElseThrow().reason()).contains("does not show it done");
    }

    @Test
    void anApplyTheApiServerRefusedFailsAtOnceWithoutWaitingForAnEffect() {
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        applyFails = new IllegalStateException("Kubernetes API: restart failed: HTTP 403 forbidden");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(verifications).isZero();
    }

    @Test
    void anExecutionLetsGoOfItsTargetWhateverItsOutcome() {
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        applyFails = new IllegalStateException("the API server went away");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(heldTargets).isEmpty();
    }

    @Test
    void aChangedClusterVoidsTheRequestAndNothingRuns() {
        approved(new Action.RestartStatefulSet("production", "postgres-db"), SIGNED.fingerprint(RESTART));
        cluster.with(DB, TargetState.of("uid-1", 4, "spec-2", 1, 0, true));
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.VOIDED);
        assertThat(applied).isEmpty();
        assertThat(incidents.find("inc-1").orElseThrow().reason()).startsWith("VOIDED: ").contains("changed since the plan was signed");
        assertThat(incidents.announced).singleElement().isInstanceOf(DomainEvent.ExecutionVoided.class);
    }

    @Test
    void aVanishedTargetVoidsTheRequest() {
        approved(new Action.DeletePod("production", "frontend-1"), "whatever");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.VOIDED);
        assertThat(incidents.find("inc-1").orElseThrow().reason()).contains("no longer exists");
    }

    @Test
    void aFailedVerificationOrApplyIsAFailureForAPerson() {
        approved(new Action.RestartStatefulSet("production", "postgres-db"), SIGNED.fingerprint(RESTART));
        verification = new ClusterActuator.Verification(false, "rollout not complete after 5s: 0/1 ready");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(incidents.find("inc-1").orElseThrow().reason()).isEqualTo("post-verify failed: rollout not complete after 5s: 0/1 ready");
        assertThat(incidents.announced).singleElement().isInstanceOf(DomainEvent.ExecutionFailed.class);

        incidents.items.clear();
        claims.clear();
        approved(new Action.RestartStatefulSet("production", "postgres-db"), SIGNED.fingerprint(RESTART));
        applyFails = new IllegalStateException("API server unreachable");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(incidents.find("inc-1").orElseThrow().reason()).contains("restart_statefulset failed").contains("unreachable");
    }

    @Test
    void anInvalidRestoredTargetIsNeverActedOn() {
        vault.put("[NAME_1]", "Postgres DB; rm -rf /");
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(applied).isEmpty();
        assertThat(incidents.find("inc-1").orElseThrow().reason()).contains("not valid");
    }

    @Test
    void oncePerPlanAndOnlyTheSignedPlan() {
        approved(new Action.RestartStatefulSet("production", "postgres-db"), SIGNED.fingerprint(RESTART));
        assertThat(executor.execute("inc-1", "another-plan")).isEqualTo(IncidentStatus.APPROVED);
        assertThat(applied).isEmpty();
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(executor.execute("inc-1", "plan-1")).as("a redelivery").isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(applied).hasSize(1);
        assertThat(incidents.announced).hasSize(1);
    }

    @Test
    void whatIsAboutToChangeIsRecordedBeforeItIsSent() {
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        applyFails = new IllegalStateException("killed here, as the request went out");
        List<ExecutionReport> seenAtApply = new ArrayList<>();
        beforeApply = () -> seenAtApply.add(incidents.items.get("inc-1").execution()); // the store as the request goes out
        executor.execute("inc-1", "plan-1");
        assertThat(seenAtApply).singleElement().satisfies(report -> {
            assertThat(report.settled()).isFalse();
            assertThat(report.startedAt()).isEqualTo(NOW);
            assertThat(report.before()).isEqualTo(SIGNED);
        });
    }

    @Test
    void anExecutionThatStoppedAnsweringIsSettledFromTheTargetOnceItsClaimLapsedAndNeverSentAgain() {
        Incident approved = approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        // killed after the apply record: EXECUTING, the record written, the claim lapsed (gone from the table)
        incidents.items.put("inc-1", approved.moveTo(IncidentStatus.EXECUTING, NOW)
                .recording(ExecutionReport.applying("restart_statefulset", "statefulset/[NAME_1] in production", NOW, SIGNED), NOW));
        claims.add("execute#inc-1#plan-1");
        assertThat(executor.settle("inc-1")).as("the claim is still held: the execution may be running").isEqualTo(IncidentStatus.EXECUTING);
        claims.clear();
        assertThat(executor.settle("inc-1")).isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(applied).as("never sent again").isEmpty();
        assertThat(verifications).isEqualTo(1);
        assertThat(incidents.find("inc-1").orElseThrow().execution().detail()).startsWith("the execution stopped answering, and the target shows it done");
        assertThat(incidents.announced).singleElement().isInstanceOf(DomainEvent.ExecutionSucceeded.class);
    }

    @Test
    void aStoppedInvestigationIsNeverSettledAsDoneAndTouchesNothing() {
        Incident approved = approved(new Action.Investigate("orders-api", "unknown service"), "whatever");
        incidents.items.put("inc-1", approved.moveTo(IncidentStatus.EXECUTING, NOW));
        assertThat(executor.settle("inc-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(verifications).isZero();
        assertThat(applied).isEmpty();
    }

    @Test
    void anExecutionKilledBeforeItsApplyRecordFailedAndChangedNothing() {
        Incident approved = approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        incidents.items.put("inc-1", approved.moveTo(IncidentStatus.EXECUTING, NOW));
        assertThat(executor.settle("inc-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(verifications).isZero();
        assertThat(incidents.find("inc-1").orElseThrow().reason()).contains("before it sent anything").contains("nothing was changed");
    }

    @Test
    void aSettlementThatCannotReadTheTargetSaysSoAndGuessesNothing() {
        Incident approved = approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        incidents.items.put("inc-1", approved.moveTo(IncidentStatus.EXECUTING, NOW)
                .recording(ExecutionReport.applying("restart_statefulset", "statefulset/[NAME_1] in production", NOW, SIGNED), NOW));
        verification = null;
        verifyFails = new IllegalStateException("API server unreachable");
        assertThat(executor.settle("inc-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(incidents.find("inc-1").orElseThrow().reason()).contains("could not be read").contains("check it by hand");
    }

    @Test
    void otherWritersMeanwhileDoNotLoseTheExecution() {
        approved(new Action.RestartStatefulSet("production", "postgres-db"), SIGNED.fingerprint(RESTART));
        incidents.interfere = 2;
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(incidents.find("inc-1").orElseThrow().summary()).isEqualTo("written by writer 0");
    }

    @Test
    void anInvestigationIsNeverExecutedNorCalledASuccess() {
        approved(new Action.Investigate("frontend", "no unhealthy dependency found"), "read-only");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(applied).isEmpty();
        assertThat(incidents.find("inc-1").orElseThrow().reason()).contains("never executed");
    }

    @Test
    void aPseudonymThatHidesAnUnmanagedNamespaceIsCaughtOnTheRealNameAndNothingRuns() {
        vault.put("[NAME_2]", "kube-system");
        vault.put("[NAME_3]", "coredns");
        approved(new Action.RestartDeployment("[NAME_2]", "[NAME_3]"), "whatever");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(applied).isEmpty();
        Incident refused = incidents.find("inc-1").orElseThrow();
        assertThat(refused.reason()).contains("outside AWOOOI's scope").contains("[NAME_3]").doesNotContain("kube-system").doesNotContain("coredns");
    }

    @Test
    void textsBuiltFromTheRealTargetAreToldWithItsPseudonym() {
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        verification = new ClusterActuator.Verification(true, "statefulset/postgres-db 1/1 ready, pod postgres-db-0 replaced");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.SUCCEEDED);
        assertThat(incidents.find("inc-1").orElseThrow().execution().detail())
                .isEqualTo("statefulset/[NAME_1] 1/1 ready, pod [NAME_1]-0 replaced");

        incidents.items.clear();
        claims.clear();
        approved(new Action.RestartStatefulSet("production", "[NAME_1]"), SIGNED.fingerprint(RESTART));
        applyFails = new IllegalStateException("statefulsets.apps \"postgres-db\" is forbidden");
        assertThat(executor.execute("inc-1", "plan-1")).isEqualTo(IncidentStatus.FAILED);
        assertThat(incidents.find("inc-1").orElseThrow().reason()).contains("\"[NAME_1]\" is forbidden").doesNotContain("postgres-db");
        assertThat(incidents.announced).allSatisfy(event -> assertThat(event.toString()).doesNotContain("postgres-db"));
    }
}
