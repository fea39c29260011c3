package dev.awoooi.action;

import dev.awoooi.action.ActionSpec.Param;
import dev.awoooi.action.ActionSpec.Permission;
import dev.awoooi.action.ObjectRef.Kind;
import dev.awoooi.privacy.Pseudonym;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The closed catalog: one spec per action type, and the validation of every action's parameters. */
public final class ActionCatalog {
    /** Scaling is bounded: never to zero (that is an outage, not a remediation), never beyond this. */
    public static final int MAX_REPLICAS = 50;
    /** Namespaces whose deletion breaks the cluster itself: no parameters make that action valid. */
    public static final Set<String> PROTECTED_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease", "default", "awoooi");

    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private static final Param NAMESPACE = new Param("namespace", "string", true, "DNS-1123 label, at most 63 characters");
    private static final Param NAME = new Param("name", "string", true, "DNS-1123 subdomain, at most 253 characters");
    private static final Param NODE = new Param("node", "string", true, "DNS-1123 subdomain, at most 253 characters");

    private static final ActionSpec INVESTIGATE = new ActionSpec("investigate",
            List.of(new Param("service", "string", false, "the service to look at"), new Param("why", "string", true, "free text, shown only")),
            RiskLevel.LOW, "read-only: get, describe, logs, events change nothing", List.of(), false,
            "nothing to verify: the findings are the result", false);
    private static final ActionSpec RESTART_DEPLOYMENT = new ActionSpec("restart_deployment", List.of(NAMESPACE, NAME),
            RiskLevel.LOW, "a rolling restart replaces pods one by one within the rollout strategy",
            List.of(Permission.of("patch", Kind.DEPLOYMENT)), true,
            "the new template is observed, every replica updated and ready", true);
    private static final ActionSpec RESTART_STATEFULSET = new ActionSpec("restart_statefulset", List.of(NAMESPACE, NAME),
            RiskLevel.LOW, "a rolling restart replaces pods one by one, in order, keeping their volumes",
            List.of(Permission.of("patch", Kind.STATEFULSET)), true,
            "the new template is observed, every replica updated and ready", true);
    private static final ActionSpec SCALE_DEPLOYMENT = new ActionSpec("scale_deployment",
            List.of(NAMESPACE, NAME, new Param("replicas", "integer", true, "1 to " + MAX_REPLICAS + ", at most 3x and at least half the current count")),
            RiskLevel.LOW, "scaling changes capacity, not code", List.of(Permission.of("patch", Kind.DEPLOYMENT)), false,
            "the deployment reports the requested replicas ready", true);
    private static final ActionSpec ROLLBACK_DEPLOYMENT = new ActionSpec("rollback_deployment",
            List.of(NAMESPACE, NAME, new Param("toRevision", "integer", false, "an earlier revision, at least 1; default the previous one")),
            RiskLevel.MEDIUM, "a rollback changes the running code back to an older template",
            List.of(Permission.of("patch", Kind.DEPLOYMENT), new Permission("list", "apps", "replicasets", null)), true,
            "the deployment runs the revision's template, every replica updated and ready", false);
    private static final ActionSpec EVICT_POD = new ActionSpec("evict_pod", List.of(NAMESPACE, NAME),
            RiskLevel.LOW, "an eviction is refused by the API server when a PodDisruptionBudget has no room",
            List.of(new Permission("create", "", "pods", "eviction")), true,
            "the pod is gone or replaced (new uid) and its controller is ready again", false);
    private static final ActionSpec DELETE_POD = new ActionSpec("delete_pod", List.of(NAMESPACE, NAME),
            RiskLevel.MEDIUM, "a delete bypasses PodDisruptionBudgets",
            List.of(Permission.of("delete", Kind.POD)), true,
            "the pod is gone or replaced (new uid) and its controller is ready again", false);
    private static final ActionSpec CORDON_NODE = new ActionSpec("cordon_node", List.of(NODE),
            RiskLevel.MEDIUM, "a cordoned node takes no new pods: the cluster loses its capacity for new work",
            List.of(Permission.of("patch", Kind.NODE)), false, "the node reports spec.unschedulable", false);
    private static final ActionSpec DRAIN_NODE = new ActionSpec("drain_node", List.of(NODE),
            RiskLevel.HIGH, "a drain moves every pod of the node at once, within PodDisruptionBudgets",
            List.of(Permission.of("patch", Kind.NODE), new Permission("list", "", "pods", null), new Permission("create", "", "pods", "eviction")),
            true, "the node is unschedulable and runs no pod other than DaemonSet and mirror pods", false);
    private static final ActionSpec DELETE_PVC = new ActionSpec("delete_pvc", List.of(NAMESPACE, NAME),
            RiskLevel.CRITICAL, "destroys data: irreversible, the DROP TABLE class of change",
            List.of(Permission.of("delete", Kind.PVC)), false, "the claim is gone or terminating", false);
    private static final ActionSpec DELETE_NAMESPACE = new ActionSpec("delete_namespace", List.of(new Param("namespace", "string", true,
            "DNS-1123 label, not one of " + PROTECTED_NAMESPACES.stream().sorted().toList())),
            RiskLevel.CRITICAL, "deletes every object in the namespace: irreversible",
            List.of(Permission.of("delete", Kind.NAMESPACE)), false, "the namespace is gone or terminating", false);

    private ActionCatalog() {
    }

    public static List<ActionSpec> specs() {
        return List.of(INVESTIGATE, RESTART_DEPLOYMENT, RESTART_STATEFULSET, SCALE_DEPLOYMENT, ROLLBACK_DEPLOYMENT, EVICT_POD,
                DELETE_POD, CORDON_NODE, DRAIN_NODE, DELETE_PVC, DELETE_NAMESPACE);
    }

    public static ActionSpec spec(Action action) {
        return switch (action) {
            case Action.Investigate a -> INVESTIGATE;
            case Action.RestartDeployment a -> RESTART_DEPLOYMENT;
            case Action.RestartStatefulSet a -> RESTART_STATEFULSET;
            case Action.ScaleDeployment a -> SCALE_DEPLOYMENT;
            case Action.RollbackDeployment a -> ROLLBACK_DEPLOYMENT;
            case Action.EvictPod a -> EVICT_POD;
            case Action.DeletePod a -> DELETE_POD;
            case Action.CordonNode a -> CORDON_NODE;
            case Action.DrainNode a -> DRAIN_NODE;
            case Action.DeletePvc a -> DELETE_PVC;
            case Action.DeleteNamespace a -> DELETE_NAMESPACE;
        };
    }

    /** Every rule the action's parameters break, each naming the parameter; empty when the action is valid. */
    public static List<String> validate(Action action) {
        List<String> errors = new ArrayList<>();
        switch (action) {
            case Action.Investigate a -> {
                if (a.why() == null || a.why().isBlank()) {
                    errors.add("why: required");
                }
            }
            case Action.RestartDeployment a -> namespaced(errors, a.namespace(), a.name());
            case Action.RestartStatefulSet a -> namespaced(errors, a.namespace(), a.name());
            case Action.ScaleDeployment a -> {
                namespaced(errors, a.namespace(), a.name());
                if (a.replicas() < 1) {
                    errors.add("replicas: " + a.replicas() + " is below 1; scaling to zero is an outage, not a remediation");
                } else if (a.replicas() > MAX_REPLICAS) {
                    errors.add("replicas: " + a.replicas() + " is above the catalog's bound of " + MAX_REPLICAS);
                }
            }
            case Action.RollbackDeployment a -> {
                namespaced(errors, a.namespace(), a.name());
                if (a.toRevision() != null && a.toRevision() < 1) {
                    errors.add("toRevision: must be at least 1");
                }
            }
            case Action.EvictPod a -> namespaced(errors, a.namespace(), a.name());
            case Action.DeletePod a -> namespaced(errors, a.namespace(), a.name());
            case Action.CordonNode a -> name(errors, "node", a.node(), SUBDOMAIN, 253);
            case Action.DrainNode a -> name(errors, "node", a.node(), SUBDOMAIN, 253);
            case Action.DeletePvc a -> namespaced(errors, a.namespace(), a.name());
            case Action.DeleteNamespace a -> {
                name(errors, "namespace", a.namespace(), LABEL, 63);
                if (a.namespace() != null && PROTECTED_NAMESPACES.contains(a.namespace())) {
                    errors.add("namespace: '" + a.namespace() + "' is protected and is never deleted");
                }
            }
        }
        return errors;
    }

    /** Whether the scale stays within bounds relative to what runs now: at most 3x up, at most halving down. */
    public static List<String> validateScale(Action.ScaleDeployment scale, int current) {
        if (current > 0 && scale.replicas() > current * 3) {
            return List.of("replicas: " + scale.replicas() + " is more than 3x the current " + current);
        }
        if (current > 0 && scale.replicas() * 2 < current) {
            return List.of("replicas: " + scale.replicas() + " is less than half the current " + current);
        }
        return List.of();
    }

    private static void namespaced(List<String> errors, String namespace, String name) {
        name(errors, "namespace", namespace, LABEL, 63);
        name(errors, "name", name, SUBDOMAIN, 253);
    }

    private static void name(List<String> errors, String param, String value, Pattern rule, int max) {
        if (value == null || value.isEmpty()) {
            errors.add(param + ": required");
        } else if (Pseudonym.isLabel(value)) {
            return; // a pseudonymized name is checked again once the executor restores it
        } else if (value.length() > max || !rule.matcher(value).matches()) {
            errors.add(param + ": '" + abbreviate(value) + "' is not a valid Kubernetes name (lowercase letters, digits, '-'"
                    + (rule == SUBDOMAIN ? ", '.'" : "") + "; at most " + max + " characters)");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
