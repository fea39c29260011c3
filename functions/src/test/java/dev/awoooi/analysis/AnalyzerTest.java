package dev.awoooi.analysis;

import dev.awoooi.action.Action;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.action.RiskMatrix;
import dev.awoooi.dryrun.Check;
import dev.awoooi.dryrun.ClusterProbe;
import dev.awoooi.dryrun.DryRun;
import dev.awoooi.dryrun.WorkloadState;
import dev.awoooi.topology.GraphWalk;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import dev.awoooi.topology.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzerTest {
    /** A cluster where the executor may do anything and every target exists unchanged. */
    static final ClusterProbe PERMISSIVE = new ClusterProbe() {
        public Access canI(String verb, String group, String resource, String namespace, String name) {
            return new Access(Check.Outcome.PASS, "allowed");
        }

        public Optional<WorkloadState> state(WorkloadRef ref) {
            return Optional.of(new WorkloadState("uid-" + ref.name(), 1, "t", 1, 0));
        }

        public List<DisruptionBudget> budgetsCovering(WorkloadRef ref) {
            return List.of();
        }

        public Optional<String> dryRunRestart(WorkloadRef ref) {
            return Optional.empty();
        }
    };

    private static Analyzer analyzer(ServiceGraph graph) {
        return new Analyzer(() -> graph, new RiskMatrix(Set.of("production"), 6), new DryRun(PERMISSIVE), 3, 600,
                Clock.fixed(Instant.parse("2026-11-21T03:15:00Z"), ZoneOffset.UTC));
    }

    @Test
    void seedScenarioFindsPostgresAndEveryoneUpstreamOfIt() {
        Analysis a = analyzer(DemoGraph.with(Set.of("postgres-db"))).analyze("inc-1", "frontend");
        assertThat(a.rootCauses()).extracting(RootCause::service).containsExactly("postgres-db");
        assertThat(a.blastRadius()).extracting(Impact::service)
                .containsExactly("auth-service", "order-api", "product-api", "frontend", "ingress");
        assertThat(a.blastRadius()).filteredOn(i -> i.service().equals("ingress")).extracting(Impact::depth).containsExactly(3);
        assertThat(a.action()).isEqualTo(new Action.RestartWorkload(
                new WorkloadRef(WorkloadRef.WorkloadKind.STATEFULSET, "production", "postgres-db")));
        assertThat(a.risk().level()).isEqualTo(RiskLevel.HIGH);
        assertThat(a.risk().reasons()).anyMatch(r -> r.contains("stateful")).anyMatch(r -> r.contains("production"));
        assertThat(a.dryRun().passed()).isTrue();
        assertThat(a.planHash()).hasSize(64);
        assertThat(a.costPerMinuteUsd()).isEqualTo(60.0);
    }

    @Test
    void collectsEveryUnhealthyDependencyDatabaseFirst() {
        Analysis a = analyzer(DemoGraph.with(Set.of("redis-cache", "postgres-db", "rabbitmq"))).analyze("inc-1", "frontend");
        assertThat(a.rootCauses()).extracting(RootCause::service).containsExactly("postgres-db", "redis-cache", "rabbitmq");
    }

    @Test
    void unknownServiceOrNothingUnhealthyFallsBackToInvestigation() {
        assertThat(analyzer(DemoGraph.with(Set.of())).analyze("inc-1", "frontend").action()).isInstanceOf(Action.Investigate.class);
        Analysis unknown = analyzer(DemoGraph.with(Set.of("postgres-db"))).analyze("inc-1", "[EMAIL_1]");
        assertThat(unknown.action()).isInstanceOf(Action.Investigate.class);
        assertThat(unknown.risk().level()).isEqualTo(RiskLevel.LOW);
    }

    @Test
    void theAlertingServiceIsItsOwnRootCauseWhenItsDependenciesAreHealthy() {
        Analysis a = analyzer(DemoGraph.with(Set.of("order-api"))).analyze("inc-1", "order-api");
        assertThat(a.rootCauses()).extracting(RootCause::service, RootCause::depth).containsExactly(org.assertj.core.groups.Tuple.tuple("order-api", 0));
    }

    @Test
    void walksAreCycleSafeAndBoundedByDepth() {
        ServiceGraph ring = new ServiceGraph();
        for (String n : List.of("a", "b", "c", "d", "e")) {
            ring.add(new ServiceNode(n, dev.awoooi.topology.NodeKind.SERVICE, null, true, "ok", 1));
        }
        ring.dependsOn("a", "b").dependsOn("b", "c").dependsOn("c", "d").dependsOn("d", "e").dependsOn("e", "a");
        assertThat(GraphWalk.downstream(ring, "a", 3)).extracting(h -> h.node().name()).containsExactly("b", "c", "d");
        assertThat(GraphWalk.downstream(ring, "a", 10)).extracting(h -> h.node().name()).containsExactly("b", "c", "d", "e");
    }

    @Test
    void thePlanHashChangesWithTheObservedState() {
        var action = new Action.RestartWorkload(new WorkloadRef(WorkloadRef.WorkloadKind.STATEFULSET, "production", "postgres-db"));
        assertThat(PlanHash.of("inc-1", action, "state-a")).isNotEqualTo(PlanHash.of("inc-1", action, "state-b"))
                .isEqualTo(PlanHash.of("inc-1", action, "state-a"));
    }
}
