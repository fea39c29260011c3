package dev.awoooi.analysis;

import dev.awoooi.action.Action;
import dev.awoooi.action.CommandGuard;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.action.RiskContext;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.action.RiskMatrix;
import dev.awoooi.action.Scope;
import dev.awoooi.dryrun.Check;
import dev.awoooi.dryrun.DryRun;
import dev.awoooi.dryrun.Simulation;
import dev.awoooi.topology.GraphWalk;
import dev.awoooi.topology.Hop;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import dev.awoooi.topology.Topology;
import dev.awoooi.topology.WorkloadRef;

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
 * read-only investigation), simulates it, rates its risk, prices the outage and recalls similar incidents. Whatever
 * reaches outside the configured scope becomes an investigation, its refusal recorded; a suggestion never needs fewer
 * signatures than the topology's own plan, and a dry-run check the cluster could not answer is never a pass.
 */
public final class Analyzer {
    private static final int SIMILAR_INCIDENTS = 5;

    private final Topology topology;
    private final RiskMatrix risk;
    private final DryRun dryRun;
    private final Investigation investigation;
    private final IncidentHistory history;
    private final CostModel costs;
    private final Scope scope;
    private final String defaultNamespace;
    private final int maxDepth;
    private final Clock clock;
    private final SecondOpinion model;

    public Analyzer(Topology topology, RiskMatrix risk, DryRun dryRun, Investigation investigation, IncidentHistory history,
                    CostModel costs, Scope scope, String defaultNamespace, int maxDepth, Clock clock) {
        this(topology, risk, dryRun, investigation, history, costs, scope, defaultNamespace, maxDepth, clock, null);
    }

    private Analyzer(Topology topology, RiskMatrix risk, DryRun dryRun, Investigation investigation, IncidentHistory history,
                     CostModel costs, Scope scope, String defaultNamespace, int maxDepth, Clock clock, SecondOpinion model) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("max depth must be at least 1");
        }
        this.topology = topology;
        this.risk = risk;
        this.dryRun = dryRun;
        this.investigation = investigation;
        this.history = history;
        this.costs = costs;
        this.scope = scope;
        this.defaultNamespace = defaultNamespace;
        this.maxDepth = maxDepth;
        this.clock = clock;
        this.model = model;
    }

    /** This analyzer, asking the model for a second opinion on every incident it analyzes. */
    public Analyzer withModel(SecondOpinion model) {
        return new Analyzer(topology, risk, dryRun, investigation, history, costs, scope, defaultNamespace, maxDepth, clock, model);
    }

    public Analysis analyze(AnalysisRequest request) {
        ServiceGraph graph = topology.graph();
        for (AnalysisRequest.AlertSignal alert : request.alerts()) {
            graph.signal(alert.service(), "alert " + alert.alertName() + " firing");
        }
        Optional<ServiceNode> alerting = Optional.ofNullable(request.service()).flatMap(graph::node);
        List<RootCause> rootCauses = alerting.map(node -> rootCauses(graph, node)).orElse(List.of());
        List<Impact> blastRadius = blastRadius(graph, rootCauses);

        Proposal own = inScope(propose(graph, alerting.isPresent(), rootCauses, request.service()), request.service());
        Proposal proposal = suggested(request).map(p -> inScope(p, request.service())).orElse(own);
        Simulation simulation = dryRun.simulate(proposal.action());
        RiskAssessment assessed = assess(proposal.action(), simulation, blastRadius.size());
        if (request.requestedBy() != null && proposal.action().mutating()) {
            assessed = assessed.atLeast(RiskLevel.MEDIUM, request.requestedBy() + " asked for this through MCP: a person signs for it");
        }
        if (proposal != own && proposal.action().mutating() && own.action().mutating()) {
            // A runbook's suggestion never needs fewer signatures than AWOOOI's own plan would.
            Simulation ownSimulation = dryRun.simulate(own.action());
            RiskAssessment ownRisk = assess(own.action(), ownSimulation, blastRadius.size());
            assessed = assessed.atLeast(ownRisk.level(), "AWOOOI's own plan (" + own.action().describe() + ") would need "
                    + ownRisk.level() + ": a runbook's suggestion never needs fewer signatures");
        }

        SimilarIncidents similar = similar(request, proposal.action());
        Findings findings = proposal.action().mutating() ? null : look(graph, alerting, rootCauses, request);

        ModelOpinion opinion = null;
        if (model != null) {
            Findings seen = findings != null ? findings : look(graph, alerting, rootCauses, request);
            ModelPrompt.Brief brief = new ModelPrompt.Brief(request, graph, rootCauses, blastRadius, proposal.action(), proposal.why(),
                    assessed, simulation.report(), seen, similar);
            switch (model.ask(brief)) {
                case SecondOpinion.Failed failed -> opinion = failed.opinion();
                case SecondOpinion.Answered answered -> {
                    Judged judged = judge(answered.answer(), request, proposal, assessed, blastRadius.size());
                    opinion = model.opinion(answered.answer(), answered.latencyMs(), judged.verdict(), judged.adopted() != null,
                            judged.adopted() == null ? null : proposal.action().describe(), judged.note());
                    if (judged.adopted() != null) {
                        proposal = new Proposal(judged.adopted(), "the model suggests " + judged.adopted().describe() + " because "
                                + answered.answer().hypothesis() + " (AWOOOI's own plan was: " + proposal.action().describe() + ")",
                                proposal.suggestion(), proposal.refusal());
                        simulation = judged.simulation();
                        assessed = judged.risk();
                        similar = similar(request, proposal.action());
                        findings = null;
                    }
                }
            }
        }

        Set<String> down = new LinkedHashSet<>();
        rootCauses.forEach(c -> down.add(c.service()));
        blastRadius.forEach(i -> down.add(i.service()));
        if (down.isEmpty() && alerting.isPresent()) {
            down.add(alerting.get().name());
        }
        return new Analysis(rootCauses, blastRadius, proposal.action(), proposal.why(), proposal.suggestion(), proposal.refusal(),
                assessed, simulation.report(), findings, costs.perMinuteUsd(down), similar, TopologySummary.of(graph),
                PlanHash.of(request.incidentId(), proposal.action(), simulation.report().stateFingerprint()), clock.instant(), opinion);
    }

    private SimilarIncidents similar(AnalysisRequest request, Action action) {
        return request.service() == null || request.alertName() == null ? SimilarIncidents.none()
                : SimilarIncidents.of(history.similar(request.service(), request.alertName(), request.incidentId(), SIMILAR_INCIDENTS),
                action.type());
    }

    /** @param adopted the model's action when it replaces the plan, else null; {@code note} says why or why not */
    private record Judged(Suggestion verdict, Action adopted, Simulation simulation, RiskAssessment risk, String note) {
        static Judged kept(Suggestion verdict, String note) {
            return new Judged(verdict, null, null, null, note);
        }
    }

    /**
     * Whether the model's suggestion replaces the plan: only when the command guard accepts it as a typed action, it
     * acts in the alert's namespace and within the scope, its dry run passes, a person signs for it (a model's plan
     * never runs unsigned), and it needs no fewer signatures than the plan it replaces. An operator's accepted runbook
     * suggestion is never overruled by a model.
     */
    private Judged judge(ModelAnswer answer, AnalysisRequest request, Proposal plan, RiskAssessment planRisk, int blastRadius) {
        if (answer.suggestion() == null) {
            return Judged.kept(null, "it suggests no action: AWOOOI's plan stands");
        }
        String namespace = request.namespace() == null ? defaultNamespace : request.namespace();
        CommandGuard.Verdict verdict = new CommandGuard(namespace).judge(answer.suggestion(), request.service());
        Suggestion judged = new Suggestion(switch (verdict) {
            case CommandGuard.Accepted a -> "ACCEPTED";
            case CommandGuard.Reduced r -> "REDUCED";
            case CommandGuard.Refused r -> "REFUSED";
        }, verdict.reason());
        if (!(verdict instanceof CommandGuard.Accepted accepted)) {
            return Judged.kept(judged, "the command guard " + (judged.refused() ? "refused" : "reduced to an investigation")
                    + " its suggestion (" + verdict.reason() + "): AWOOOI's plan stands");
        }
        Action action = accepted.action();
        if (action.equals(plan.action())) {
            return Judged.kept(judged, "it agrees with AWOOOI's plan");
        }
        if (plan.suggestion() != null && "ACCEPTED".equals(plan.suggestion().outcome())) {
            return Judged.kept(judged, "the alert's runbook suggestion stands: a model does not overrule the operators' runbook");
        }
        Optional<String> outside = otherNamespace(action, namespace).or(() -> scope.refusal(action));
        if (outside.isPresent()) {
            return Judged.kept(new Suggestion("REFUSED", outside.get()), "its suggestion was refused: " + outside.get());
        }
        Simulation simulation = dryRun.simulate(action);
        if (!simulation.report().passed()) {
            return Judged.kept(judged, "its suggestion failed the dry run: AWOOOI's plan stands");
        }
        RiskAssessment risk = assess(action, simulation, blastRadius)
                .atLeast(RiskLevel.MEDIUM, "a language model wrote this plan: a person signs for it");
        if (plan.action().mutating() && risk.level().compareTo(planRisk.level()) < 0) {
            return Judged.kept(judged, "its suggestion would need fewer signatures (" + risk.level() + ") than AWOOOI's plan ("
                    + planRisk.level() + "): AWOOOI's plan stands");
        }
        return new Judged(judged, action, simulation, risk, "its suggestion replaces AWOOOI's plan (" + plan.action().describe() + ")");
    }

    /**
     * What a person would look at first when AWOOOI will not act: the top root cause's workload, else the alerting
     * service's, else the warnings of the alert's namespace; never outside the scope.
     */
    private Findings look(ServiceGraph graph, Optional<ServiceNode> alerting, List<RootCause> rootCauses, AnalysisRequest request) {
        Optional<WorkloadRef> workload = rootCauses.stream().map(c -> graph.node(c.service()).map(ServiceNode::workload).orElse(null))
                .filter(java.util.Objects::nonNull).findFirst()
                .or(() -> alerting.map(ServiceNode::workload));
        String namespace = workload.map(WorkloadRef::namespace).orElse(request.namespace() == null ? defaultNamespace : request.namespace());
        String subject = workload.map(WorkloadRef::toString).orElse("namespace " + namespace);
        if (!scope.manages(namespace)) {
            return Findings.notLooked(subject, "namespace " + namespace + " is outside AWOOOI's scope: nothing there was looked at");
        }
        try {
            return workload.isPresent() ? investigation.look(workload.get()) : investigation.warnings(namespace);
        } catch (RuntimeException e) {
            return Findings.notLooked(subject, "the cluster could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The action's risk from what its simulation found, never lower than the cluster's unanswered checks allow. */
    private RiskAssessment assess(Action action, Simulation simulation, int blastRadius) {
        var state = simulation.state();
        return failClosed(risk.assess(action, new RiskContext(blastRadius, state.map(s -> s.stateful()).orElse(false),
                simulation.exhaustedBudgets(), state.map(s -> s.desired()).orElse(-1), state.map(s -> s.owner() != null).orElse(true))),
                action, simulation);
    }

    /** A check the cluster could not answer is not a pass: what would have run unsigned needs a person to sign it. */
    private static RiskAssessment failClosed(RiskAssessment assessed, Action action, Simulation simulation) {
        List<String> unknown = simulation.report().checks().stream().filter(c -> c.outcome() == Check.Outcome.UNKNOWN)
                .map(c -> c.name() + " (" + c.reason() + ")").toList();
        return !action.mutating() || unknown.isEmpty() ? assessed : assessed.atLeast(RiskLevel.MEDIUM,
                "the dry run could not confirm " + String.join("; ", unknown) + ": a person signs for what the cluster did not answer");
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

    /** @param refusal why the proposal was refused for reaching outside the scope; null when it was not */
    private record Proposal(Action action, String why, Suggestion suggestion, String refusal) {
    }

    /** What the alert's runbook suggestion becomes, if it carries one: an action within the alert's namespace, or investigate. */
    private Optional<Proposal> suggested(AnalysisRequest request) {
        if (request.suggestion() == null || request.suggestion().isBlank()) {
            return Optional.empty();
        }
        String namespace = request.namespace() == null ? defaultNamespace : request.namespace();
        CommandGuard.Verdict verdict = new CommandGuard(namespace).judge(request.suggestion(), request.service());
        return Optional.of(switch (verdict) {
            case CommandGuard.Accepted accepted -> otherNamespace(accepted.action(), namespace)
                    .map(why -> refused(request.service(), "runbook suggestion refused: " + why, new Suggestion("REFUSED", why), why))
                    .orElseGet(() -> new Proposal(accepted.action(), "runbook suggestion accepted by the command guard",
                            new Suggestion("ACCEPTED", verdict.reason()), null));
            case CommandGuard.Reduced reduced -> new Proposal(reduced.action(), "runbook suggestion reduced: " + verdict.reason(),
                    new Suggestion("REDUCED", verdict.reason()), null);
            case CommandGuard.Refused refused -> new Proposal(refused.action(), "runbook suggestion refused: " + verdict.reason(),
                    new Suggestion("REFUSED", verdict.reason()), null);
        });
    }

    /** The proposal if its target is within the scope; otherwise an investigation, the refusal recorded. */
    private Proposal inScope(Proposal proposal, String service) {
        return scope.refusal(proposal.action()).map(why -> refused(service, proposal.why() + "; refused: " + why,
                proposal.suggestion() == null ? null : new Suggestion("REFUSED", why), why)).orElse(proposal);
    }

    private static Proposal refused(String service, String why, Suggestion suggestion, String refusal) {
        return new Proposal(new Action.Investigate(service, refusal), why, suggestion, refusal);
    }

    private Proposal propose(ServiceGraph graph, boolean known, List<RootCause> rootCauses, String service) {
        if (!known) {
            return new Proposal(new Action.Investigate(service, "the alert names no service found in the topology"),
                    "nothing to act on: the alerting service is not in the graph", null, null);
        }
        if (rootCauses.isEmpty()) {
            return new Proposal(new Action.Investigate(service, "no unhealthy dependency found"),
                    "nothing unhealthy found within " + maxDepth + " hops", null, null);
        }
        ServiceNode top = graph.node(rootCauses.getFirst().service()).orElseThrow();
        if (top.workload() == null) {
            return new Proposal(new Action.Investigate(top.name(), "the root cause runs outside the cluster"),
                    top.name() + " is declared, not run by the cluster: nothing AWOOOI may restart", null, null);
        }
        var workload = top.workload();
        Action restart = switch (workload.kind()) {
            case DEPLOYMENT -> new Action.RestartDeployment(workload.namespace(), workload.name());
            case STATEFULSET -> new Action.RestartStatefulSet(workload.namespace(), workload.name());
        };
        return new Proposal(restart, "restart the top root cause " + top.name() + " (" + top.kind() + ", " + top.health() + ")", null, null);
    }

    /** A suggestion may act in the alert's namespace only; reaching into another is widening its scope. */
    private static Optional<String> otherNamespace(Action action, String namespace) {
        var target = action.target();
        if (target != null && target.namespace() != null && !target.namespace().equals(namespace)) {
            return Optional.of("the suggestion targets namespace '" + target.namespace() + "', the alert came from '" + namespace + "'");
        }
        return Optional.empty();
    }
}
