package dev.awoooi.action;

import dev.awoooi.dryrun.Check;
import dev.awoooi.dryrun.ClusterProbe;
import dev.awoooi.dryrun.DryRun;
import dev.awoooi.dryrun.FakeCluster;
import dev.awoooi.dryrun.Simulation;
import dev.awoooi.dryrun.TargetState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every action of the catalog: its parameters' validation, its risk, and its dry run. */
class ActionCatalogTest {
    private static final RiskMatrix MATRIX = new RiskMatrix(Set.of("production"), 6);

    /** One valid example per catalog type, with its baseline risk in a non-production namespace. */
    static Stream<Arguments> catalog() {
        return Stream.of(
                Arguments.of(new Action.Investigate("frontend", "look first"), RiskLevel.LOW),
                Arguments.of(new Action.RestartDeployment("staging", "frontend"), RiskLevel.LOW),
                Arguments.of(new Action.RestartStatefulSet("staging", "postgres-db"), RiskLevel.LOW),
                Arguments.of(new Action.ScaleDeployment("staging", "frontend", 2), RiskLevel.LOW),
                Arguments.of(new Action.RollbackDeployment("staging", "frontend", null), RiskLevel.MEDIUM),
                Arguments.of(new Action.EvictPod("staging", "frontend-7d9f-abcde"), RiskLevel.LOW),
                Arguments.of(new Action.DeletePod("staging", "frontend-7d9f-abcde"), RiskLevel.MEDIUM),
                Arguments.of(new Action.CordonNode("worker-1"), RiskLevel.MEDIUM),
                Arguments.of(new Action.DrainNode("worker-1"), RiskLevel.HIGH),
                Arguments.of(new Action.DeletePvc("staging", "data-postgres-backup"), RiskLevel.CRITICAL),
                Arguments.of(new Action.DeleteNamespace("staging"), RiskLevel.CRITICAL));
    }

    @Test
    void everyTypeHasOneSpecAndEverySpecOneType() {
        Set<String> types = catalog().map(a -> ((Action) a.get()[0]).type()).collect(Collectors.toSet());
        assertThat(types).hasSize(11).containsExactlyInAnyOrderElementsOf(ActionCatalog.specs().stream().map(ActionSpec::type).toList());
        assertThat(Action.class.getPermittedSubclasses()).hasSize(11);
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void aValidExampleValidatesAndCarriesItsBaselineRisk(Action action, RiskLevel baseline) {
        assertThat(ActionCatalog.validate(action)).isEmpty();
        RiskAssessment risk = MATRIX.assess(action, RiskContext.of(0));
        ActionSpec spec = ActionCatalog.spec(action);
        boolean signedAlways = action.mutating() && !spec.unsigned() && baseline == RiskLevel.LOW;
        assertThat(risk.level()).isEqualTo(signedAlways ? RiskLevel.MEDIUM : baseline);
        assertThat(risk.reasons().getFirst()).startsWith("baseline " + baseline);
        assertThat(spec.verification()).isNotBlank();
        assertThat(spec.permissions().isEmpty()).isEqualTo(!action.mutating());
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void invalidNamesAreRefusedNamingTheParameter(Action action, RiskLevel ignored) {
        Action broken = switch (action) {
            case Action.Investigate a -> new Action.Investigate("x", " ");
            case Action.RestartDeployment a -> new Action.RestartDeployment("staging", "Frontend");
            case Action.RestartStatefulSet a -> new Action.RestartStatefulSet("-bad", "postgres-db");
            case Action.ScaleDeployment a -> new Action.ScaleDeployment("staging", "frontend/../x", 2);
            case Action.RollbackDeployment a -> new Action.RollbackDeployment("staging", "frontend", 0L);
            case Action.EvictPod a -> new Action.EvictPod("staging", "pod*");
            case Action.DeletePod a -> new Action.DeletePod(null, "frontend-1");
            case Action.CordonNode a -> new Action.CordonNode("worker 1");
            case Action.DrainNode a -> new Action.DrainNode("x".repeat(254));
            case Action.DeletePvc a -> new Action.DeletePvc("staging", "");
            case Action.DeleteNamespace a -> new Action.DeleteNamespace("kube-system");
        };
        List<String> errors = ActionCatalog.validate(broken);
        assertThat(errors).isNotEmpty();
        assertThat(errors.getFirst()).matches("(why|namespace|name|node|toRevision|replicas): .+");
    }

    @Test
    void scalingIsBounded() {
        assertThat(ActionCatalog.validate(new Action.ScaleDeployment("staging", "frontend", 0))).singleElement().asString().contains("outage");
        assertThat(ActionCatalog.validate(new Action.ScaleDeployment("staging", "frontend", 51))).singleElement().asString().contains("50");
        assertThat(ActionCatalog.validateScale(new Action.ScaleDeployment("staging", "frontend", 10), 3)).singleElement().asString().contains("3x");
        assertThat(ActionCatalog.validateScale(new Action.ScaleDeployment("staging", "frontend", 1), 3)).singleElement().asString().contains("half");
        assertThat(ActionCatalog.validateScale(new Action.ScaleDeployment("staging", "frontend", 6), 3)).isEmpty();
    }

    @Test
    void everyProtectedNamespaceIsRefused() {
        for (String ns : ActionCatalog.PROTECTED_NAMESPACES) {
            assertThat(ActionCatalog.validate(new Action.DeleteNamespace(ns))).anyMatch(e -> e.contains("protected"));
        }
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void whatIsAtStakeRaisesRiskButNeverIntoCritical(Action action, RiskLevel baseline) {
        Action inProduction = action.retarget(v -> v.equals("staging") ? "production" : v);
        RiskAssessment raised = MATRIX.assess(inProduction, new RiskContext(9, true, List.of("frontend-pdb"), -1, true));
        if (!action.mutating()) {
            assertThat(raised.level()).isEqualTo(RiskLevel.LOW);
            return;
        }
        assertThat(raised.level()).isEqualTo(baseline == RiskLevel.CRITICAL ? RiskLevel.CRITICAL : RiskLevel.HIGH);
        assertThat(raised.reasons()).anyMatch(r -> r.startsWith("data at stake")).anyMatch(r -> r.startsWith("wide blast radius: 9"));
        if (action.target().namespace() != null || action instanceof Action.DeleteNamespace) {
            assertThat(raised.reasons()).anyMatch(r -> r.startsWith("production namespace"));
        }
        if (ActionCatalog.spec(action).disruptive()) {
            assertThat(raised.reasons()).anyMatch(r -> r.contains("frontend-pdb has no room"));
        }
    }

    @Test
    void onlyRestartsAndBoundedScaleUpsMayEverRunUnsigned() {
        assertThat(ActionCatalog.specs().stream().filter(ActionSpec::unsigned).map(ActionSpec::type))
                .containsExactlyInAnyOrder("restart_deployment", "restart_statefulset", "scale_deployment");
        var evict = MATRIX.assess(new Action.EvictPod("staging", "frontend-7d9f-abcde"), RiskContext.of(0));
        assertThat(evict.level()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(evict.reasons()).anyMatch(r -> r.contains("only with a signature"));
        assertThat(MATRIX.assess(new Action.ScaleDeployment("staging", "frontend", 4), new RiskContext(0, false, List.of(), 2, true)).level())
                .as("a bounded scale-up").isEqualTo(RiskLevel.LOW);
    }

    @Test
    void eachRaiseIsOneLevelAndListed() {
        var restart = new Action.RestartDeployment("production", "frontend");
        assertThat(MATRIX.assess(restart, RiskContext.of(0)).level()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(MATRIX.assess(new Action.RestartDeployment("staging", "frontend"), RiskContext.of(6)).level()).isEqualTo(RiskLevel.MEDIUM);
        var bare = MATRIX.assess(new Action.DeletePod("staging", "debug"), new RiskContext(0, false, List.of(), -1, false));
        assertThat(bare.level()).isEqualTo(RiskLevel.HIGH);
        assertThat(bare.reasons()).anyMatch(r -> r.contains("no controller"));
        var down = MATRIX.assess(new Action.ScaleDeployment("staging", "frontend", 2), new RiskContext(0, false, List.of(), 3, true));
        assertThat(down.level()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(down.reasons()).anyMatch(r -> r.contains("scale-down from 3 to 2"));
        assertThat(MATRIX.assess(new Action.DeleteNamespace("staging"), RiskContext.of(0)).level()).isEqualTo(RiskLevel.CRITICAL);
        assertThat(MATRIX.assess(new Action.DeletePvc("staging", "data"), RiskContext.of(0)).reasons().getFirst()).contains("DROP TABLE");
    }

    // ------------------------------------------------------------------ dry run

    private static Map<String, Check> checks(Simulation simulation) {
        return simulation.report().checks().stream().collect(Collectors.toMap(Check::name, c -> c, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void aDryRunOnAHealthyClusterPassesEveryCheck(Action action, RiskLevel ignored) {
        FakeCluster cluster = FakeCluster.permissive();
        Simulation simulation = new DryRun(cluster).simulate(withRevisions(action, cluster));
        assertThat(simulation.report().passed()).as(simulation.report().checks().toString()).isTrue();
        if (!action.mutating()) {
            assertThat(simulation.report().stateFingerprint()).isEqualTo("read-only");
            assertThat(cluster.dryRuns).isEmpty();
            return;
        }
        Map<String, Check> checks = checks(simulation);
        assertThat(checks.keySet()).contains("parameters", "existence", "server-dry-run");
        assertThat(checks.keySet().stream().filter(n -> n.startsWith("rbac: "))).hasSize(ActionCatalog.spec(action).permissions().size());
        assertThat(checks.containsKey("pdb")).isEqualTo(ActionCatalog.spec(action).disruptive());
        assertThat(simulation.report().stateFingerprint()).hasSize(64);
        assertThat(cluster.dryRuns).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void aMissingTargetFailsExistenceAndSendsNothing(Action action, RiskLevel ignored) {
        if (!action.mutating()) {
            return;
        }
        FakeCluster empty = new FakeCluster();
        Simulation simulation = new DryRun(empty).simulate(action);
        Map<String, Check> checks = checks(simulation);
        assertThat(checks.get("existence").outcome()).isEqualTo(Check.Outcome.FAIL);
        assertThat(checks.get("server-dry-run").outcome()).isEqualTo(Check.Outcome.UNKNOWN);
        assertThat(simulation.report().stateFingerprint()).isEqualTo("absent");
        assertThat(empty.dryRuns).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void deniedRbacAndAServerRefusalFailWithTheirReasons(Action action, RiskLevel ignored) {
        if (!action.mutating()) {
            return;
        }
        FakeCluster cluster = FakeCluster.permissive();
        action = withRevisions(action, cluster);
        ActionSpec.Permission first = ActionCatalog.spec(action).permissions().getFirst();
        cluster.denied.add(first.toString());
        cluster.serverRefusals.put(action.target(), "API server refused: HTTP 422 Invalid");
        Map<String, Check> checks = checks(new DryRun(cluster).simulate(action));
        assertThat(checks.get("rbac: " + first).outcome()).isEqualTo(Check.Outcome.FAIL);
        assertThat(checks.get("rbac: " + first).reason()).contains(first.verb());
        assertThat(checks.get("server-dry-run").outcome()).isEqualTo(Check.Outcome.FAIL);
        assertThat(checks.get("server-dry-run").reason()).contains("422");
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void aDryRunTheServerGaveNoVerdictOnIsUnknownNotFailed(Action action, RiskLevel ignored) {
        if (!action.mutating()) {
            return;
        }
        FakeCluster cluster = FakeCluster.permissive();
        action = withRevisions(action, cluster);
        cluster.dryRunsUnanswered.add(action.target());
        Check dryRun = checks(new DryRun(cluster).simulate(action)).get("server-dry-run");
        assertThat(dryRun.outcome()).isEqualTo(Check.Outcome.UNKNOWN);
        assertThat(dryRun.reason()).contains("no verdict", "SocketTimeoutException");
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void aBudgetWithNoRoomFailsEveryDisruptiveAction(Action action, RiskLevel ignored) {
        if (!ActionCatalog.spec(action).disruptive()) {
            return;
        }
        FakeCluster cluster = FakeCluster.permissive();
        action = withRevisions(action, cluster);
        cluster.budgets.put(action.target(), List.of(new ClusterProbe.DisruptionBudget("frontend-pdb", 0)));
        Simulation simulation = new DryRun(cluster).simulate(action);
        Check pdb = checks(simulation).get("pdb");
        assertThat(pdb.outcome()).isEqualTo(Check.Outcome.FAIL);
        assertThat(pdb.reason()).contains("frontend-pdb");
        assertThat(simulation.exhaustedBudgets()).containsExactly("frontend-pdb");
    }

    @Test
    void aBudgetProtectsOnlyReadyPods() {
        FakeCluster cluster = new FakeCluster();
        var db = ObjectRef.of(ObjectRef.Kind.STATEFULSET, "production", "postgres-db");
        cluster.with(db, TargetState.of("uid", 3, "spec", 1, 0, true));
        cluster.budgets.put(db, List.of(new ClusterProbe.DisruptionBudget("postgres-db-pdb", 0)));
        Simulation simulation = new DryRun(cluster).simulate(new Action.RestartStatefulSet("production", "postgres-db"));
        assertThat(checks(simulation).get("pdb").outcome()).isEqualTo(Check.Outcome.PASS);
        assertThat(simulation.exhaustedBudgets()).isEmpty();
    }

    @Test
    void scaleAndRollbackAreCheckedAgainstTheLiveObject() {
        FakeCluster cluster = new FakeCluster();
        var frontend = ObjectRef.of(ObjectRef.Kind.DEPLOYMENT, "production", "frontend");
        cluster.with(frontend, new TargetState("uid", 4, "spec", 3, 3, false, null, 4L, List.of(2L, 3L)));
        var tooFar = checks(new DryRun(cluster).simulate(new Action.ScaleDeployment("production", "frontend", 12)));
        assertThat(tooFar.get("parameters").outcome()).isEqualTo(Check.Outcome.FAIL);
        assertThat(tooFar.get("server-dry-run").outcome()).isEqualTo(Check.Outcome.UNKNOWN);
        var unknownRevision = checks(new DryRun(cluster).simulate(new Action.RollbackDeployment("production", "frontend", 1L)));
        assertThat(unknownRevision.get("parameters").reason()).contains("revision 1 not found");
        var previous = checks(new DryRun(cluster).simulate(new Action.RollbackDeployment("production", "frontend", null)));
        assertThat(previous.get("parameters").outcome()).isEqualTo(Check.Outcome.PASS);
        cluster.with(frontend, TargetState.of("uid", 1, "spec", 3, 3, false));
        var firstRevision = checks(new DryRun(cluster).simulate(new Action.RollbackDeployment("production", "frontend", null)));
        assertThat(firstRevision.get("parameters").reason()).contains("no earlier revision");
    }

    @Test
    void theFingerprintCoversIdentitySpecAndOwnerButNotWhatControllersChangeByThemselves() {
        var restart = new Action.RestartDeployment("production", "frontend");
        var base = new TargetState("uid", 3, "spec", 3, 3, false, "owner", null, List.of());
        assertThat(base.fingerprint(restart))
                .as("readiness, replica counts and generation move by themselves (a crash loop, an autoscaler)")
                .isEqualTo(new TargetState("uid", 4, "spec", 5, 0, false, "owner", null, List.of()).fingerprint(restart))
                .isNotEqualTo(new TargetState("uid2", 3, "spec", 3, 3, false, "owner", null, List.of()).fingerprint(restart))
                .isNotEqualTo(new TargetState("uid", 3, "spec2", 3, 3, false, "owner", null, List.of()).fingerprint(restart))
                .isNotEqualTo(new TargetState("uid", 3, "spec", 3, 3, false, "other-owner", null, List.of()).fingerprint(restart));
        var scale = new Action.ScaleDeployment("production", "frontend", 6);
        assertThat(base.fingerprint(scale)).as("6 replicas is a scale-up from 3 and a scale-down from 8")
                .isNotEqualTo(new TargetState("uid", 3, "spec", 8, 3, false, "owner", null, List.of()).fingerprint(scale));
    }

    /** A rollback needs a revision to go back to; the permissive cluster's default object has none. */
    private static Action withRevisions(Action action, FakeCluster cluster) {
        if (action instanceof Action.RollbackDeployment) {
            cluster.with(action.target(), new TargetState("uid", 2, "spec", 2, 2, false, null, 2L, List.of(1L)));
        }
        return action;
    }
}
