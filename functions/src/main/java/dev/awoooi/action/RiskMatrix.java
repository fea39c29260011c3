package dev.awoooi.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Baseline risk per action (from the catalog), raised one level by each thing at stake: a production namespace,
 * data, a wide blast radius, a PodDisruptionBudget with no room, a pod nobody replaces, a scale-down. Raising never
 * reaches CRITICAL: only inherently destructive actions (the DROP TABLE class, namespace deletion) are CRITICAL,
 * by their baseline. What the catalog does not mark as safe unsigned never stays LOW. Every reason is listed, so the
 * signer sees why.
 */
public final class RiskMatrix {
    private final Set<String> productionNamespaces;
    private final int wideBlastRadius;

    public RiskMatrix(Set<String> productionNamespaces, int wideBlastRadius) {
        this.productionNamespaces = Set.copyOf(productionNamespaces);
        this.wideBlastRadius = wideBlastRadius;
    }

    public RiskAssessment assess(Action action, RiskContext context) {
        ActionSpec spec = ActionCatalog.spec(action);
        List<String> reasons = new ArrayList<>();
        reasons.add("baseline " + spec.baseline() + ": " + spec.baselineReason());
        RiskLevel level = spec.baseline();
        if (!action.mutating()) {
            return new RiskAssessment(level, reasons);
        }
        ObjectRef target = action.target();
        String namespace = target.kind() == ObjectRef.Kind.NAMESPACE ? target.name() : target.namespace();
        if (namespace != null && productionNamespaces.contains(namespace)) {
            level = level.raised();
            reasons.add("production namespace '" + namespace + "'");
        }
        if (context.stateful()) {
            level = level.raised();
            reasons.add("data at stake: the target holds persistent state");
        }
        if (context.blastRadius() >= wideBlastRadius) {
            level = level.raised();
            reasons.add("wide blast radius: " + context.blastRadius() + " services depend on it");
        }
        if (spec.disruptive() && !context.exhaustedBudgets().isEmpty()) {
            level = level.raised();
            reasons.add("PodDisruptionBudget " + String.join(", ", context.exhaustedBudgets()) + " has no room for a disruption");
        }
        if (action instanceof Action.DeletePod && !context.replaced()) {
            level = level.raised();
            reasons.add("no controller replaces the pod: it is gone for good");
        }
        if (action instanceof Action.ScaleDeployment scale && context.currentReplicas() > scale.replicas()) {
            level = level.raised();
            reasons.add("scale-down from " + context.currentReplicas() + " to " + scale.replicas() + " removes capacity during an incident");
        }
        if (action instanceof Action.ScaleDeployment && context.currentReplicas() == 0) {
            level = level.raised();
            reasons.add("scale-up from 0: it starts a workload somebody stopped");
        }
        if (level == RiskLevel.LOW && !spec.unsigned()) {
            level = level.raised();
            reasons.add("the catalog lets " + spec.type() + " run only with a signature (unsigned: restarts and bounded scale-ups)");
        }
        return new RiskAssessment(level, reasons);
    }
}
