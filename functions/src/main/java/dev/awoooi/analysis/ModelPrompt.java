package dev.awoooi.analysis;

import dev.awoooi.action.Action;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.dryrun.DryRunReport;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a model is asked: a fixed system text (its task, the catalog of remediations it may suggest, the answer's
 * schema) and the incident as AWOOOI stores it, already pseudonymized: the alert's words, the graph around the alerting
 * service with health, the root causes and blast radius, AWOOOI's own plan with its risk and dry run, what was looked
 * at (events, restarts, masked log tails) and how similar incidents ended. No plan hash nor state fingerprint: they
 * mean nothing to a model and look like secrets to the shield. Every list is bounded, so a storm's incident makes a
 * prompt of the same size as a single alert's.
 */
public record ModelPrompt(String system, String user, int maxTokens) {
    static final int MAX_USER_CHARS = 24_000;
    static final int MAX_LINES = 20;
    static final int MAX_NEIGHBOURS = 12;

    /** The answer's JSON schema, also sent where a provider can constrain its output to one. */
    public static final String ANSWER_SCHEMA = """
            {"type":"object","additionalProperties":false,\
            "required":["hypothesis","confidence","evidence","suggestion"],\
            "properties":{\
            "hypothesis":{"type":"string","description":"the most likely root cause, in plain words"},\
            "confidence":{"type":"number","minimum":0,"maximum":1},\
            "evidence":{"type":"array","maxItems":8,"items":{"type":"string"},"description":"the facts above it rests on"},\
            "suggestion":{"type":["string","null"],"description":"one kubectl command from the catalog, or null"}}}""";

    static final String SYSTEM = """
            You are the incident analyst of AWOOOI, an operations platform for Kubernetes. You get one incident: the \
            alert, the service graph around it with each service's health, the root causes and blast radius AWOOOI \
            found, AWOOOI's own plan with its risk and dry run, what was looked at in the cluster, and how similar \
            incidents ended. Values in square brackets such as [IP_1] or [EMAIL_2] are pseudonyms for hidden values: \
            use them as they are, never guess what they hide.
            Answer with one JSON object and nothing else, keeping this schema: %s
            hypothesis: the most likely root cause in one or two plain sentences. confidence: 0 to 1. evidence: the \
            facts from the incident it rests on. suggestion: at most one remediation as one kubectl command, or null \
            when no action is safe. Only these forms are considered:
              kubectl rollout restart deployment NAME -n NAMESPACE
              kubectl rollout restart statefulset NAME -n NAMESPACE
              kubectl rollout undo deployment NAME -n NAMESPACE
              kubectl scale deployment NAME --replicas=N -n NAMESPACE
              kubectl delete pod NAME -n NAMESPACE
              kubectl cordon NODE
              kubectl drain NODE --ignore-daemonsets
            Anything else is refused. AWOOOI's command guard, its scope and the people who sign decide whether your \
            suggestion runs; it never needs fewer signatures than AWOOOI's own plan.""".formatted(ANSWER_SCHEMA);

    public ModelPrompt {
        if (maxTokens < 64) {
            throw new IllegalArgumentException("a model answer needs at least 64 tokens");
        }
    }

    /** The incident, as far as the analysis has got, in the words the model reads. */
    record Brief(AnalysisRequest request, ServiceGraph graph, List<RootCause> rootCauses, List<Impact> blastRadius,
                 Action plan, String why, RiskAssessment risk, DryRunReport dryRun, Findings findings, SimilarIncidents similar) {
    }

    static ModelPrompt of(Brief brief, int maxTokens) {
        StringBuilder user = new StringBuilder();
        AnalysisRequest request = brief.request();
        user.append("Alert ").append(request.alertName()).append(" on service ").append(request.service())
                .append(" in namespace ").append(request.namespace()).append(".\n");
        if (request.alertText() != null && !request.alertText().isBlank()) {
            user.append("The alert says: ").append(request.alertText().strip()).append('\n');
        }
        if (request.alerts().size() > 1) {
            user.append("Firing alerts of this incident: ").append(bounded(request.alerts(), MAX_LINES,
                    a -> a.alertName() + " on " + a.service(), ", ")).append('\n');
        }
        user.append("\nService graph around ").append(request.service()).append(":\n");
        neighbourhood(brief.graph(), request.service(), user);
        user.append("\nRoot causes (unhealthy dependencies, most suspicious first): ")
                .append(brief.rootCauses().isEmpty() ? "none found" : bounded(brief.rootCauses(), MAX_LINES,
                        c -> c.service() + " (" + lower(c.kind()) + ", " + c.health() + ", " + c.depth() + " hops down"
                                + (c.via() == null ? "" : " via " + c.via()) + ")", "; "))
                .append("\nBlast radius (services that suffer): ")
                .append(brief.blastRadius().isEmpty() ? "none" : bounded(brief.blastRadius(), MAX_LINES,
                        i -> i.service() + " (" + i.depth() + " hops up, " + i.pods() + " pods)", "; "))
                .append("\n\nAWOOOI's own plan: ").append(brief.plan().describe()).append(" — ").append(brief.why())
                .append("\nRisk ").append(brief.risk().level()).append(": ").append(String.join("; ", brief.risk().reasons()))
                .append("\nDry run: ").append(bounded(brief.dryRun().checks(), MAX_LINES,
                        c -> c.name() + " " + c.outcome() + " (" + c.reason() + ")", "; ")).append('\n');
        Findings findings = brief.findings();
        if (findings != null) {
            user.append("\nLooked at ").append(findings.subject()).append(":\n");
            lines(user, "event", findings.events());
            lines(user, "restarts", findings.restarts());
            lines(user, "rollout", findings.rollouts());
            for (Findings.LogTail tail : findings.logs()) {
                lines(user, "log " + tail.pod() + "/" + tail.container() + (tail.previous() ? " (previous run)" : ""), tail.lines());
            }
            lines(user, "could not look", findings.gaps());
        }
        SimilarIncidents similar = brief.similar();
        if (similar != null) {
            user.append("\nSimilar past incidents: ").append(similar.summary());
            if (!similar.incidents().isEmpty()) {
                user.append(" (").append(bounded(similar.incidents(), MAX_LINES,
                        p -> p.actionType() + " ended " + p.status(), "; ")).append(')');
            }
            user.append('\n');
        }
        String text = user.length() > MAX_USER_CHARS ? user.substring(0, MAX_USER_CHARS) + "\n[truncated]" : user.toString();
        return new ModelPrompt(SYSTEM, text, maxTokens);
    }

    private static void neighbourhood(ServiceGraph graph, String service, StringBuilder out) {
        var alerting = service == null ? java.util.Optional.<ServiceNode>empty() : graph.node(service);
        if (alerting.isEmpty()) {
            out.append("- ").append(service).append(" is not in the graph\n");
            return;
        }
        ServiceNode node = alerting.get();
        out.append("- ").append(node.name()).append(" (").append(lower(node.kind())).append(", ").append(node.health())
                .append(", ").append(node.pods()).append(" pods)\n");
        List<String> callees = graph.callees(node.name()).stream().sorted().toList();
        List<String> callers = graph.callers(node.name()).stream().sorted().toList();
        out.append("  depends on: ").append(callees.isEmpty() ? "nothing" : bounded(callees, MAX_NEIGHBOURS, n -> health(graph, n), ", "))
                .append("\n  called by: ").append(callers.isEmpty() ? "nobody" : bounded(callers, MAX_NEIGHBOURS, n -> health(graph, n), ", "))
                .append('\n');
    }

    private static String health(ServiceGraph graph, String name) {
        return graph.node(name).map(n -> n.name() + " (" + n.health() + ")").orElse(name);
    }

    private static void lines(StringBuilder out, String what, List<String> lines) {
        lines.stream().limit(MAX_LINES).forEach(line -> out.append("  ").append(what).append(": ").append(line).append('\n'));
        if (lines.size() > MAX_LINES) {
            out.append("  (").append(lines.size() - MAX_LINES).append(" more ").append(what).append(" lines)\n");
        }
    }

    private static <T> String bounded(List<T> items, int max, Function<T, String> text, String separator) {
        String shown = String.join(separator, items.stream().limit(max).map(text).toList());
        return items.size() > max ? shown + separator + "and " + (items.size() - max) + " more" : shown;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
