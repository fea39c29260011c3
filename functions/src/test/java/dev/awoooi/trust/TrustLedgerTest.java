package dev.awoooi.trust;

import dev.awoooi.SuppliedClock;
import dev.awoooi.action.Action;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.action.Scope;
import dev.awoooi.analysis.Analysis;
import dev.awoooi.analysis.SimilarIncidents;
import dev.awoooi.analysis.TopologySummary;
import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Decision;
import dev.awoooi.approval.Identity;
import dev.awoooi.approval.Signature;
import dev.awoooi.audit.MemoryAudit;
import dev.awoooi.dryrun.Check;
import dev.awoooi.dryrun.DryRunReport;
import dev.awoooi.execution.ExecutionReport;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TrustLedgerTest {
    static final Instant T0 = Instant.parse("2026-12-01T03:00:00Z");
    static final String POSTGRES = "restart_statefulset:production/postgres-db@prod";

    Instant now = T0;
    final MemoryTrustStore store = new MemoryTrustStore();
    final MemoryAudit audit = new MemoryAudit();
    final List<DomainEvent> events = new ArrayList<>();
    final TrustLedger ledger = new TrustLedger(store, audit, events::add, new TrustPolicy(TrustPolicy.Thresholds.DEFAULT),
            new Scope(Set.of("production"), false), "prod", SuppliedClock.of(() -> now));
    int ids;

    Incident analyzed(Action action, RiskLevel risk, Check.Outcome check) {
        Analysis analysis = new Analysis(List.of(), List.of(), action, "test", null, null, new RiskAssessment(risk, List.of("x")),
                new DryRunReport(List.of(new Check("rbac", check, "ok")), "fp"), null, 1.0, SimilarIncidents.none(),
                new TopologySummary(0, 0, Map.of(), List.of()), "plan-" + ids, now);
        return Incident.received("inc-" + (++ids), "alertmanager", "fingerprint-" + ids, now, now).moveTo(IncidentStatus.ANALYZED, now)
                .withAnalysis(analysis);
    }

    Incident postgres() {
        return analyzed(new Action.RestartStatefulSet("production", "postgres-db"), RiskLevel.HIGH, Check.Outcome.PASS);
    }

    /** The incident after its plan ran: signed by who signed (none for an unsigned run), verified or not. */
    Incident ran(Incident incident, IncidentStatus status, boolean verified, String... signers) {
        Incident at = incident;
        for (String signer : signers) {
            at = at.withSignature(new Signature(signer, Decision.APPROVE, incident.analysis().planHash(), now, new Identity(Channel.LINK, signer)), now);
        }
        return at.moveTo(IncidentStatus.APPROVED, now).moveTo(IncidentStatus.EXECUTING, now).moveTo(status, now)
                .withExecution(new ExecutionReport("restart_statefulset", "statefulset/postgres-db in production", now, now, verified, "done", null));
    }

    int score(String key) {
        return store.find(key).map(r -> r.score(now, Duration.ofDays(30))).orElse(0);
    }

    @Test
    void tenVerifiedApprovalsLowerAHighPatternToOneSignatureAndARejectionRaisesItAgain() {
        for (int i = 0; i < 10; i++) {
            assertThat(ledger.weigh(postgres()).requirement().count()).as("run " + (i + 1)).isEqualTo(2);
            ledger.learn(ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice", "bob"));
            now = now.plusSeconds(60);
        }
        assertThat(score(POSTGRES)).isEqualTo(10);
        var eleventh = ledger.weigh(postgres());
        assertThat(eleventh.requirement().count()).isEqualTo(1);
        assertThat(eleventh.reason()).isEqualTo(POSTGRES + " trusted 10/10: it needs one signature");

        Incident rejected = postgres().withSignature(new Signature("bob", Decision.REJECT, "plan-x", now, new Identity(Channel.LINK, "bob")), now)
                .moveTo(IncidentStatus.AWAITING_APPROVAL, now).moveTo(IncidentStatus.REJECTED, now);
        ledger.learn(rejected);
        assertThat(score(POSTGRES)).isZero();
        assertThat(store.find(POSTGRES).orElseThrow().lastReset().reason()).isEqualTo("rejected by bob on " + rejected.id());
        assertThat(ledger.weigh(postgres()).requirement().count()).isEqualTo(2);
        assertThat(audit.whats(TrustLedger.subject(POSTGRES))).hasSize(11).endsWith("trust-reset");
        assertThat(audit.whats(rejected.id())).containsExactly("trust-reset");
    }

    @Test
    void aPlanTheModelWroteOrAnAssistantAskedForIsNeverLoweredByTrust() {
        Action restart = new Action.RestartDeployment("production", "frontend");
        for (int i = 0; i < 5; i++) {
            ledger.learn(ran(analyzed(restart, RiskLevel.MEDIUM, Check.Outcome.PASS), IncidentStatus.SUCCEEDED, true, "alice"));
        }
        assertThat(ledger.weigh(analyzed(restart, RiskLevel.MEDIUM, Check.Outcome.PASS)).requirement().count())
                .as("trusted: AWOOOI's own plan runs unsigned").isZero();

        Incident byModel = analyzed(restart, RiskLevel.MEDIUM, Check.Outcome.PASS);
        var a = byModel.analysis();
        var adopted = new dev.awoooi.analysis.ModelOpinion(dev.awoooi.analysis.ModelOpinion.Status.ANSWERED, "openai-compatible m", "h", 0.9,
                List.of(), "kubectl rollout restart deployment frontend -n production", null, true, "Investigate", "adopted", 1, 1, 0, 1);
        byModel = byModel.withAnalysis(new Analysis(a.rootCauses(), a.blastRadius(), a.action(), a.proposal(), a.suggestion(), a.scopeRefusal(),
                a.risk(), a.dryRun(), a.findings(), a.costPerMinuteUsd(), a.similar(), a.topology(), a.planHash(), a.analyzedAt(), adopted));
        var verdict = ledger.weigh(byModel);
        assertThat(verdict.requirement().count()).isEqualTo(1);
        assertThat(verdict.reason()).isEqualTo("the model (openai-compatible m) wrote it: a person signs, trust never lowers it");

        Incident asked = analyzed(restart, RiskLevel.MEDIUM, Check.Outcome.PASS);
        asked = new Incident(asked.id(), asked.version(), asked.status(), Incident.ASSISTANT_SOURCE, asked.fingerprint(), asked.startsAt(),
                asked.receivedAt(), asked.updatedAt(), asked.alertName(), asked.service(), asked.summary(), Map.of(Incident.REQUESTED_BY_LABEL, "claude"),
                asked.links(), asked.analysis(), asked.approval(), asked.signatures(), asked.execution(), asked.reason(), asked.resolvedAt(),
                asked.reminders(), asked.alertCounts());
        assertThat(ledger.weigh(asked).reason()).isEqualTo("mcp:claude asked for it through MCP: a person signs, trust never lowers it");
        assertThat(ledger.weigh(asked).requirement().count()).isEqualTo(1);
    }

    @Test
    void aRedeliveredSuccessIsCreditedOnce() {
        Incident done = ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice", "bob");
        ledger.learn(done);
        ledger.learn(done);
        assertThat(score(POSTGRES)).isEqualTo(1);
        assertThat(audit.whats(done.id())).containsExactly("trust-credited");
    }

    @Test
    void anUnverifiedOrUnsignedSuccessEarnsNothingAndAFailureAfterApplyResets() {
        ledger.learn(ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice", "bob"));
        ledger.learn(ran(postgres(), IncidentStatus.SUCCEEDED, false, "alice", "bob"));
        ledger.learn(ran(postgres(), IncidentStatus.SUCCEEDED, true));
        assertThat(score(POSTGRES)).isEqualTo(1);
        Incident failed = ran(postgres(), IncidentStatus.FAILED, false, "alice", "bob").withReason("post-verify failed: 1/3 ready");
        // nothing reached the cluster (no record of what was sent): the pattern is not to blame
        ledger.learn(failed);
        assertThat(score(POSTGRES)).isEqualTo(1);
        var sent = failed.execution();
        ledger.learn(failed.withExecution(new ExecutionReport(sent.action(), sent.target(), sent.startedAt(), sent.finishedAt(), false, sent.detail(),
                new dev.awoooi.dryrun.TargetState("uid", 1, "spec", 1, 1, true, null, null, List.of()))));
        assertThat(score(POSTGRES)).isZero();
        assertThat(store.find(POSTGRES).orElseThrow().lastReset().reason()).contains("failed: post-verify failed");
    }

    @Test
    void theSameAlertFiringAgainWithinTheWindowMakesTheFixIneffective() {
        for (int i = 0; i < 3; i++) {
            ledger.learn(ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice"));
        }
        Incident fixed = ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice");
        ledger.learn(fixed);
        assertThat(score(POSTGRES)).isEqualTo(4);
        now = now.plus(Duration.ofMinutes(12));
        Incident other = Incident.received("inc-other", "alertmanager", "another-fingerprint", now, now);
        assertThat(ledger.refired(other, fixed, () -> Set.of(fixed.fingerprint()))).as("another alert").isFalse();
        Incident again = Incident.received("inc-again", "alertmanager", fixed.fingerprint(), now, now);
        assertThat(ledger.refired(again, fixed, Set::of)).isTrue();
        assertThat(score(POSTGRES)).isZero();
        assertThat(store.find(POSTGRES).orElseThrow().lastReset().reason()).startsWith("ineffective: ").contains("fired again 12 min after " + fixed.id());
        now = now.plus(Duration.ofMinutes(30));
        ledger.learn(ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice"));
        Incident late = Incident.received("inc-late", "alertmanager", fixed.fingerprint(), now, now);
        assertThat(ledger.refired(late, fixed, () -> {
            throw new AssertionError("outside the window the alerts are not read");
        })).as("42 minutes after: outside the window").isFalse();
        assertThat(score(POSTGRES)).isEqualTo(1);
    }

    @Test
    void anAlertThatJoinedTheFixedIncidentFiringAgainCountsToo() {
        Incident fixed = ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice");
        ledger.learn(fixed);
        now = now.plus(Duration.ofMinutes(3));
        Incident joinedThenAgain = Incident.received("inc-again", "alertmanager", "a-joined-fingerprint", now, now);
        assertThat(ledger.refired(joinedThenAgain, fixed, () -> Set.of("a-joined-fingerprint", fixed.fingerprint()))).isTrue();
        assertThat(store.find(POSTGRES).orElseThrow().lastReset().reason()).contains("fired again 3 min after " + fixed.id());
    }

    @Test
    void voidsAndExpiriesTeachNothing() {
        ledger.learn(ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice"));
        ledger.learn(ran(postgres(), IncidentStatus.VOIDED, false, "alice"));
        ledger.learn(postgres().moveTo(IncidentStatus.AWAITING_APPROVAL, now).moveTo(IncidentStatus.EXPIRED, now));
        assertThat(score(POSTGRES)).isEqualTo(1);
    }

    @Test
    void unusedTrustHalvesEveryThirtyDays() {
        for (int i = 0; i < 8; i++) {
            ledger.learn(ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice"));
        }
        now = now.plus(Duration.ofDays(29));
        assertThat(score(POSTGRES)).isEqualTo(8);
        now = now.plus(Duration.ofDays(1));
        assertThat(score(POSTGRES)).isEqualTo(4);
        now = now.plus(Duration.ofDays(30));
        assertThat(score(POSTGRES)).isEqualTo(2);
        ledger.learn(ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice"));
        assertThat(score(POSTGRES)).as("credited on the decayed score").isEqualTo(3);
    }

    @Test
    void theCircuitBreakerTripsOnTheFourthUnsignedRunInAnHourAndHoldsUntilCleared() {
        Action restart = new Action.RestartDeployment("production", "frontend");
        String key = "restart_deployment:production/frontend@prod";
        for (int i = 0; i < 3; i++) {
            var verdict = ledger.weigh(analyzed(restart, RiskLevel.LOW, Check.Outcome.PASS));
            assertThat(verdict.requirement().count()).isZero();
            now = now.plusSeconds(300);
        }
        var fourth = ledger.weigh(analyzed(restart, RiskLevel.LOW, Check.Outcome.PASS));
        assertThat(fourth.requirement().count()).isEqualTo(1);
        assertThat(fourth.reason()).contains("circuit breaker for " + key + ": 3 unsigned runs within the hour");
        assertThat(events).singleElement().isInstanceOfSatisfying(DomainEvent.CircuitBreakerTripped.class, e -> assertThat(e.key()).isEqualTo(key));
        assertThat(store.find(key).orElseThrow().tripped().announced()).isTrue();

        // it holds past the hour, for any risk, until a person clears it
        now = now.plus(Duration.ofHours(3));
        assertThat(ledger.weigh(analyzed(restart, RiskLevel.LOW, Check.Outcome.PASS)).requirement().count()).isEqualTo(1);
        assertThat(events).hasSize(1);
        assertThat(ledger.clear(key, "carol")).isTrue();
        assertThat(ledger.clear(key, "carol")).as("nothing held any more").isFalse();
        assertThat(ledger.weigh(analyzed(restart, RiskLevel.LOW, Check.Outcome.PASS)).requirement().count()).isZero();
        assertThat(audit.whats(TrustLedger.subject(key))).containsExactly("breaker-tripped", "breaker-cleared");
    }

    @Test
    void aTripWhoseCardCouldNotBePublishedIsAnnouncedByTheRetryOnce() {
        Action restart = new Action.RestartDeployment("production", "frontend");
        String key = "restart_deployment:production/frontend@prod";
        boolean[] busDown = {true};
        var flaky = new TrustLedger(store, audit, event -> {
            if (busDown[0]) {
                throw new IllegalStateException("EventBridge unavailable");
            }
            events.add(event);
        }, new TrustPolicy(TrustPolicy.Thresholds.DEFAULT), new Scope(Set.of("production"), false), "prod", SuppliedClock.of(() -> now));
        for (int i = 0; i < 3; i++) {
            flaky.weigh(analyzed(restart, RiskLevel.LOW, Check.Outcome.PASS));
        }
        Incident fourth = analyzed(restart, RiskLevel.LOW, Check.Outcome.PASS);
        // the trip is saved, then the publish fails: the invocation fails and its message comes back
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> flaky.weigh(fourth)).hasMessageContaining("EventBridge unavailable");
        assertThat(store.find(key).orElseThrow().tripped()).satisfies(trip -> assertThat(trip.announced()).isFalse());
        busDown[0] = false;
        assertThat(flaky.weigh(fourth).requirement().count()).as("the redelivery is held too").isEqualTo(1);
        assertThat(flaky.weigh(analyzed(restart, RiskLevel.LOW, Check.Outcome.PASS)).requirement().count()).isEqualTo(1);
        assertThat(events).singleElement().isInstanceOf(DomainEvent.CircuitBreakerTripped.class);
        assertThat(store.find(key).orElseThrow().tripped().announced()).isTrue();
    }

    @Test
    void aRedeliveredUnsignedRunIsCountedOnce() {
        Incident low = analyzed(new Action.RestartDeployment("production", "frontend"), RiskLevel.LOW, Check.Outcome.PASS);
        for (int i = 0; i < 5; i++) {
            assertThat(ledger.weigh(low).requirement().count()).isZero();
        }
        assertThat(store.find(TrustRecord.clusterKey("prod")).orElseThrow().lastHour(now)).hasSize(1);
    }

    @Test
    void theClustersBrakeTripsAcrossPatterns() {
        for (int i = 0; i < 10; i++) {
            assertThat(ledger.weigh(analyzed(new Action.RestartDeployment("production", "service-" + i), RiskLevel.LOW, Check.Outcome.PASS))
                    .requirement().count()).isZero();
        }
        var eleventh = ledger.weigh(analyzed(new Action.RestartDeployment("production", "service-x"), RiskLevel.LOW, Check.Outcome.PASS));
        assertThat(eleventh.requirement().count()).isEqualTo(1);
        assertThat(eleventh.reason()).startsWith("circuit breaker for cluster prod: 10 unsigned runs within the hour");
    }

    @Test
    void aTrustedMediumPatternRunsUnsignedOnlyWithEveryCheckPassing() {
        Action restart = new Action.RestartDeployment("production", "order-api");
        for (int i = 0; i < 5; i++) {
            ledger.learn(ran(analyzed(restart, RiskLevel.MEDIUM, Check.Outcome.PASS), IncidentStatus.SUCCEEDED, true, "alice"));
        }
        assertThat(ledger.weigh(analyzed(restart, RiskLevel.MEDIUM, Check.Outcome.UNKNOWN)).requirement().count()).isEqualTo(1);
        assertThat(ledger.weigh(analyzed(restart, RiskLevel.MEDIUM, Check.Outcome.PASS)).requirement().count()).isZero();
        // the same pattern in a namespace outside the scope never runs unsigned
        Action elsewhere = new Action.RestartDeployment("payments", "order-api");
        for (int i = 0; i < 5; i++) {
            ledger.learn(ran(analyzed(elsewhere, RiskLevel.MEDIUM, Check.Outcome.PASS), IncidentStatus.SUCCEEDED, true, "alice"));
        }
        assertThat(ledger.weigh(analyzed(elsewhere, RiskLevel.MEDIUM, Check.Outcome.PASS)).requirement().count()).isEqualTo(1);
    }

    @Test
    void aLostRaceIsRedoneNotLost() {
        Incident first = ran(postgres(), IncidentStatus.SUCCEEDED, true, "alice");
        Incident second = ran(postgres(), IncidentStatus.SUCCEEDED, true, "bob");
        store.meanwhile = () -> ledger.learn(second);
        ledger.learn(first);
        assertThat(score(POSTGRES)).isEqualTo(2);
    }
}
