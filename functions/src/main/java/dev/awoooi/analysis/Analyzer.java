package dev.awoooi.analysis;

import dev.awoooi.action.Action;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.action.RiskMatrix;
import dev.awoooi.dryrun.DryRun;
import dev.awoooi.dryrun.DryRunReport;
import dev.awoooi.topology.GraphWalk;
import dev.awoooi.topology.Hop;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import dev.awoooi.topology.TopologySource;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Walks the graph from the alerting service: every unhealthy dependency is a root cause (most suspicious kind
 * first, then nearest), everyone upstream of the top root cause is in the blast radius. Proposes one typed action.
 */
public final class Analyzer {
    private final TopologySource topology;
    private final RiskMatrix risk;
    private final DryRun dryRun;
    private final int maxDepth;
    private final double costPerServiceHourUsd;
    private final Clock clock;

    public Analyzer(TopologySource topology, RiskMatrix risk, DryRun dryRun, int maxDepth, double costPerServiceHourUsd, Clock clock) {
        this.topology = topology;
        this.risk = risk;
        this.dryRun = dryRun;
        this.maxDepth = maxDepth;
        this.costPerServiceHourUsd = costPerServiceHourUsd;
        this.clock = clock;
    }

    public Analysis analyze(String incidentId, String service) {
        ServiceGraph graph = topology.graph();
        Optional<ServiceNode> alerting = Optional.ofNullable(service).flatMap(graph::node);
        List<RootCause> rootCauses = alerting.map(node -> rootCauses(graph, node)).orElse(List.of());
        List<Impact> blastRadius = rootCauses.isEmpty() ? List.of() : blastRadius(graph, rootCauses.getFirst().service());
        Action action = propose(graph, service, alerting.isPresent(), rootCauses);
        RiskAssessment assessed = risk.assess(action, blastRadius.size());
        DryRunReport report = dryRun.simulate(action, blastRadius.size());
        double costPerMinute = (blastRadius.size() + (rootCauses.isEmpty() ? 0 : 1)) * costPerServiceHourUsd / 60.0;
        return new Analysis(rootCauses, blastRadius, action, assessed, report, Math.round(costPerMinute * 100) / 100.0,
                PlanHash.of(incidentId, action, report.stateFingerprint()), clock.instant());
    }

    private List<RootCause> rootCauses(ServiceGraph graph, ServiceNode alerting) {
        List<RootCause> causes = new ArrayList<>();
        for (Hop hop : GraphWalk.downstream(graph, alerting.name(), maxDepth)) {
            if (!hop.node().healthy()) {
                causes.add(new RootCause(hop.node().name(), hop.node().kind(), hop.depth(), hop.node().health()));
            }
        }
        if (causes.isEmpty() && !alerting.healthy()) {
            causes.add(new RootCause(alerting.name(), alerting.kind(), 0, alerting.health()));
        }
        causes.sort(Comparator.comparingInt((RootCause c) -> c.kind().suspicion())
                .thenComparingInt(RootCause::depth).thenComparing(RootCause::service));
        return causes;
    }

    private List<Impact> blastRadius(ServiceGraph graph, String rootCause) {
        return GraphWalk.upstream(graph, rootCause, maxDepth).stream()
                .map(hop -> new Impact(hop.node().name(), hop.depth(), hop.node().pods()))
                .toList();
    }

    private static Action propose(ServiceGraph graph, String service, boolean known, List<RootCause> rootCauses) {
        if (!known) {
            return new Action.Investigate(service, "the alert names no service found in the topology");
        }
        if (rootCauses.isEmpty()) {
            return new Action.Investigate(service, "no unhealthy dependency found");
        }
        var top = graph.node(rootCauses.getFirst().service()).orElseThrow();
        if (top.workload() == null) {
            return new Action.Investigate(top.name(), "the root cause is not a workload AWOOOI can restart");
        }
        return new Action.RestartWorkload(top.workload());
    }
}
