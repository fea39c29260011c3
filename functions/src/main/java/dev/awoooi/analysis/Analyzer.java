package dev.awoooi.analysis;

import dev.awoooi.action.Action;
import dev.awoooi.action.CommandGuard;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.action.RiskContext;
import dev.awoooi.action.RiskMatrix;
import dev.awoooi.dryrun.DryRun;
import dev.awoooi.dryrun.Simulation;
import dev.awoooi.topology.GraphWalk;
import dev.awoooi.topology.Hop;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import dev.awoooi.topology.Topology;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the graph from the alerting service. Downstream, every unhealthy dependency is a root cause (most suspicious
 * kind first, then nearest); upstream of them, every service that suffers is in the blast radius. Proposes one typed
 * action (a runbook's suggestion if the command guard accepts it, else a restart of the top root cause, else a
 * read-only investigation), simulates it, rates its risk, prices the outage and recalls similar incidents.
 */
public final class Analyzer {
    private static final int SIMILAR_INCIDENTS = 5;

    private final Topology topology;
    private final RiskMatrix risk;
    private final DryRun dryRun;
    private final IncidentHistory history;
    private final CostModel costs;
    private final String defaultNamespace;
    private final int maxDepth;
    private final Clock clock;

    public Analyzer(Topology topology, RiskMatrix risk, DryRun dryRun, IncidentHistory history, CostModel costs,
                    String defaultNamespace, int maxDepth, Clock clock) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("max depth must be at least 1");
        }
        this.topology = topology;
        this.risk = risk;
        this.dryRun = dryRun;
        this.history = history;
        this.costs = costs;
        this.defaultNamespace = defaultNamespace;
        this.maxDepth = maxDepth;
        this.clock = clock;
    }

    public Analysis analyze(AnalysisRequest request) {
        ServiceGraph graph = topology.graph();
        for (AnalysisRequest.AlertSignal alert : request.alerts()) {
            graph.signal(alert.service(), "alert " + alert.alertName() + " firing");
        }
        Optional<ServiceNode> alerting = Optional.ofNullable(request.service()).flatMap(graph::node);
        List<RootCause> rootCauses = alerting.map(node -> rootCauses(graph, node)).orElse(List.of());
        List<Impact> blastRadius = blastRadius(graph, rootCauses);

        Proposal proposal = propose(graph, request, alerting.isPresent(), rootCauses);
        Simulation simulation = dryRun.simulate(proposal.action(), blastRadius.size());
        var state = simulation.state();
        RiskAssessment assessed = risk.assess(proposal.action(), new RiskContext(blastRadius.size(),
                state.map(s -> s.stateful()).orElse(false), simulation.exhaustedBudgets(),
                state.map(s -> s.desired()).orElse(-1), state.map(s -> s.owner() != null).orElse(true)));

        Set<String> down = new LinkedHashSet<>();
        rootCauses.forEach(c -> down.add(c.service()));
        blastRadius.forEach(i -> down.add(i.service()));
        if (down.isEmpty() && alerting.isPresent()) {
            down.add(alerting.get().name());
        }
        SimilarIncidents similar = request.service() == null || request.alertName() == null ? SimilarIncidents.none()
                : SimilarIncidents.of(history.similar(request.service(), request.alertName(), request.incidentId(), SIMILAR_INCIDENTS),
                proposal.action().type());
        return new Analysis(rootCauses, blastRadius, proposal.action(), proposal.why(), proposal.suggestion(), assessed,
                simulation.report(), costs.perMinuteUsd(down), similar, TopologySummary.of(graph),
                PlanHash.of(request.incidentId(), proposal.action(), simulation.report().stateFingerprint()), clock.instant());
    }

    private List<RootCause> rootCauses(ServiceGraph graph, ServiceNode alerting) {
        List<RootCause> causes = new ArrayList<>();
        for (Hop hop : GraphWalk.downstream(graph, alerting.name(), maxDepth)) {
            ServiceNode node = hop.node();
            if (!node.healthy()) {
                causes.add(new RootCause(node.name(), node.kind(), hop.depth(), node.health(), hop.via(), graph.sources(hop.via(), node.name())));
            }
        }
        if (causes.isEmpty() && !alerting.healthy()) {
            causes.add(new RootCause(alerting.name(), alerting.kind(), 0, alerting.health(), null, Set.of()));
        }
        causes.sort(Comparator.comparingInt((RootCause c) -> c.kind().suspicion())
                .thenComparingInt(RootCause::depth).thenComparing(RootCause::service));
        return causes;
    }

    /** Everyone upstream of any root cause, at their shortest distance from one; root causes themselves excluded. */
    private List<Impact> blastRadius(ServiceGraph graph, List<RootCause> rootCauses) {
        Set<String> causes = new LinkedHashSet<>();
        rootCauses.forEach(c -> causes.add(c.service()));
        Map<String, Impact> affected = new LinkedHashMap<>();
        for (String cause : causes) {
            for (Hop hop : GraphWalk.upstream(graph, cause, maxDepth)) {
                ServiceNode node = hop.node();
                if (!causes.contains(node.name())) {
                    affected.merge(node.name(), new Impact(node.name(), node.kind(), hop.depth(), node.pods()),
                            (a, b) -> a.depth() <= b.depth() ? a : b);
                }
            }
        }
        return affected.values().stream().sorted(Comparator.comparingInt(Impact::depth).thenComparing(Impact::service)).toList();
    }

    private record Proposal(Action action, String why, Suggestion suggestion) {
    }

    private Proposal propose(ServiceGraph graph, AnalysisRequest request, boolean known, List<RootCause> rootCauses) {
        String namespace = request.namespace() == null ? defaultNamespace : request.namespace();
        if (request.suggestion() != null && !request.suggestion().isBlank()) {
            CommandGuard.Verdict verdict = new CommandGuard(namespace).judge(request.suggestion(), request.service());
            return switch (verdict) {
                case CommandGuard.Accepted accepted -> outOfScope(accepted.action(), namespace)
                        .map(why -> new Proposal(new Action.Investigate(request.service(), why), "runbook suggestion reduced: " + why,
                                new Suggestion("REDUCED", why)))
                        .orElseGet(() -> new Proposal(accepted.action(), "runbook suggestion accepted by the command guard",
                                new Suggestion("ACCEPTED", verdict.reason())));
                case CommandGuard.Reduced reduced -> new Proposal(reduced.action(), "runbook suggestion reduced: " + verdict.reason(),
                        new Suggestion("REDUCED", verdict.reason()));
                case CommandGuard.Refused refused -> new Proposal(refused.action(), "runbook suggestion refused: " + verdict.reason(),
                        new Suggestion("REFUSED", verdict.reason()));
            };
        }
        if (!known) {
            return new Proposal(new Action.Investigate(request.service(), "the alert names no service found in the topology"),
                    "nothing to act on: the alerting service is not in the graph", null);
        }
        if (rootCauses.isEmpty()) {
            return new Proposal(new Action.Investigate(request.service(), "no unhealthy dependency found"),
                    "nothing unhealthy found within " + maxDepth + " hops", null);
        }
        ServiceNode top = graph.node(rootCauses.getFirst().service()).orElseThrow();
        if (top.workload() == null) {
            return new Proposal(new Action.Investigate(top.name(), "the root cause runs outside the cluster"),
                    top.name() + " is declared, not run by the cluster: nothing AWOOOI may restart", null);
        }
        var workload = top.workload();
        Action restart = switch (workload.kind()) {
            case DEPLOYMENT -> new Action.RestartDeployment(workload.namespace(), workload.name());
            case STATEFULSET -> new Action.RestartStatefulSet(workload.namespace(), workload.name());
        };
        return new Proposal(restart, "restart the top root cause " + top.name() + " (" + top.kind() + ", " + top.health() + ")", null);
    }

    /** A suggestion may act in the alert's namespace only; reaching into another is widening its scope. */
    private static Optional<String> outOfScope(Action action, String namespace) {
        var target = action.target();
        if (target != null && target.namespace() != null && !target.namespace().equals(namespace)) {
            return Optional.of("the suggestion targets namespace '" + target.namespace() + "', the alert came from '" + namespace + "'");
        }
        return Optional.empty();
    }
}
