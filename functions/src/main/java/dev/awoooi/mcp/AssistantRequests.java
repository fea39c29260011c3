package dev.awoooi.mcp;

import dev.awoooi.action.ActionCatalog;
import dev.awoooi.action.Action;
import dev.awoooi.action.Scope;
import dev.awoooi.alert.Alert;
import dev.awoooi.alert.AlertBatch;
import dev.awoooi.alert.Intake;
import dev.awoooi.incident.Incident;
import dev.awoooi.privacy.Pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What MCP's request_action does: turns an assistant's typed request into an incident of its own (source
 * {@value Incident#ASSISTANT_SOURCE}) whose runbook suggestion is the request in kubectl syntax, and hands it to the
 * front door like any alert. From there it goes the way every plan goes: the Privacy Shield, the command guard, the
 * scope, the dry run, the risk (never below MEDIUM for an assistant) and the signatures (trust never lowers them).
 * Nothing here executes, and nothing here can: the request only ever becomes a plan that waits for people.
 */
public final class AssistantRequests {
    /** The catalog actions an assistant may ask for; eviction has no kubectl form the command guard reads. */
    public static final List<String> ACTIONS = List.of("restart_deployment", "restart_statefulset", "scale_deployment",
            "rollback_deployment", "delete_pod", "cordon_node", "drain_node", "delete_pvc", "delete_namespace");

    /** The front door every alert comes through ({@link Intake#accept}): dedupe, grouping, the queue to the Privacy Shield. */
    public interface FrontDoor {
        List<Intake.Accepted> accept(AlertBatch batch, Instant deadline);
    }

    private final FrontDoor intake;
    private final Scope scope;

    public AssistantRequests(FrontDoor intake, Scope scope) {
        this.intake = intake;
        this.scope = scope;
    }

    /** A request as the tool's schema admits it (the SDK validated types, patterns and the enum before this runs). */
    public record Request(String action, String namespace, String name, Integer replicas, Long toRevision, String reason,
                          String idempotencyKey) {
    }

    /** Either the incident the plan waits in, or why the request was refused before it became one. */
    public sealed interface Outcome permits Filed, Refused {
    }

    public record Filed(String incidentId, boolean repeated, String plan) implements Outcome {
    }

    public record Refused(String why) implements Outcome {
    }

    public Outcome file(String caller, Request request, Instant deadline) {
        Action action;
        try {
            action = action(request);
        } catch (IllegalArgumentException e) {
            return new Refused(e.getMessage());
        }
        List<String> invalid = ActionCatalog.validate(action);
        if (!invalid.isEmpty()) {
            return new Refused("invalid " + action.type() + ": " + String.join("; ", invalid));
        }
        var target = action.target();
        if (target != null && (Pseudonym.isLabel(target.name()) || Pseudonym.isLabel(target.namespace()))) {
            return new Refused("the target is a pseudonym: ask with the name get_incident shows for the workload, pod or node");
        }
        Optional<String> outside = scope.refusal(action);
        if (outside.isPresent()) {
            return new Refused(outside.get());
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "AssistantRequest");
        labels.put("severity", "warning");
        labels.put(Incident.REQUESTED_BY_LABEL, caller);
        labels.put("requested_action", action.type());
        if (target != null && target.namespace() != null) {
            labels.put("namespace", target.namespace());
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", caller + " asks: " + action.describe());
        annotations.put("description", request.reason());
        annotations.put("awoooi_remediation", kubectl(action));
        // One incident per caller and key: the front door dedupes a firing by fingerprint and start, so a request has a
        // fixed start (it has no condition that began) and a retry, days later too, finds the first incident.
        String fingerprint = fingerprint(caller + "\u0000" + request.idempotencyKey());
        Alert alert = new Alert("firing", labels, annotations, Instant.EPOCH, null, null, fingerprint, Map.of());
        AlertBatch batch = new AlertBatch(Incident.ASSISTANT_SOURCE, "mcp", "firing", "mcp:" + fingerprint, 0, Map.of(), Map.of(), Map.of(),
                null, null, List.of(alert));
        Intake.Accepted accepted = intake.accept(batch, deadline).getFirst();
        if (accepted.id() == null || accepted.outcome().retry()) {
            return new Refused("not recorded yet (" + accepted.outcome().name().toLowerCase(java.util.Locale.ROOT) + "): call again with the same idempotencyKey");
        }
        return new Filed(accepted.id(), accepted.duplicate(), action.describe());
    }

    private static Action action(Request r) {
        return switch (r.action()) {
            case "restart_deployment" -> new Action.RestartDeployment(namespace(r), name(r));
            case "restart_statefulset" -> new Action.RestartStatefulSet(namespace(r), name(r));
            case "scale_deployment" -> {
                if (r.replicas() == null) {
                    throw new IllegalArgumentException("scale_deployment needs replicas");
                }
                yield new Action.ScaleDeployment(namespace(r), name(r), r.replicas());
            }
            case "rollback_deployment" -> new Action.RollbackDeployment(namespace(r), name(r), r.toRevision());
            case "delete_pod" -> new Action.DeletePod(namespace(r), name(r));
            case "cordon_node" -> new Action.CordonNode(name(r));
            case "drain_node" -> new Action.DrainNode(name(r));
            case "delete_pvc" -> new Action.DeletePvc(namespace(r), name(r));
            case "delete_namespace" -> new Action.DeleteNamespace(namespace(r));
            default -> throw new IllegalArgumentException("action '" + r.action() + "' is not in the catalog: " + String.join(", ", ACTIONS));
        };
    }

    private static String namespace(Request r) {
        if (r.namespace() == null || r.namespace().isBlank()) {
            throw new IllegalArgumentException(r.action() + " needs a namespace");
        }
        return r.namespace();
    }

    private static String name(Request r) {
        if (r.name() == null || r.name().isBlank()) {
            throw new IllegalArgumentException(r.action() + " needs a name");
        }
        return r.name();
    }

    /** The request in the one syntax the command guard reads; the analysis parses it back into the same typed action. */
    static String kubectl(Action action) {
        return switch (action) {
            case Action.RestartDeployment a -> "kubectl rollout restart deployment " + a.name() + " -n " + a.namespace();
            case Action.RestartStatefulSet a -> "kubectl rollout restart statefulset " + a.name() + " -n " + a.namespace();
            case Action.ScaleDeployment a -> "kubectl scale deployment " + a.name() + " --replicas=" + a.replicas() + " -n " + a.namespace();
            case Action.RollbackDeployment a -> "kubectl rollout undo deployment " + a.name() + " -n " + a.namespace()
                    + (a.toRevision() == null ? "" : " --to-revision=" + a.toRevision());
            case Action.DeletePod a -> "kubectl delete pod " + a.name() + " -n " + a.namespace();
            case Action.CordonNode a -> "kubectl cordon " + a.node();
            case Action.DrainNode a -> "kubectl drain " + a.node() + " --ignore-daemonsets";
            case Action.DeletePvc a -> "kubectl delete pvc " + a.name() + " -n " + a.namespace();
            case Action.DeleteNamespace a -> "kubectl delete namespace " + a.namespace();
            case Action.EvictPod a -> throw new IllegalArgumentException("eviction has no kubectl form");
            case Action.Investigate a -> throw new IllegalArgumentException("an investigation needs no request");
        };
    }

    private static String fingerprint(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
