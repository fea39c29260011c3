package dev.awoooi.action;

import java.util.List;

/**
 * What is at stake around an action, as the dry run and the graph found it.
 *
 * @param blastRadius       services upstream of the root cause
 * @param stateful          the target holds data (a StatefulSet, a pod with a claim, a claim, a node running those)
 * @param exhaustedBudgets  PodDisruptionBudgets over the target's pods that allow no disruption now
 * @param currentReplicas   what a scaled Deployment runs now, or -1 when unknown or not a scale
 * @param replaced          a pod's controller will replace it ({@code false} for a bare pod)
 */
public record RiskContext(int blastRadius, boolean stateful, List<String> exhaustedBudgets, int currentReplicas, boolean replaced) {
    public RiskContext {
        exhaustedBudgets = List.copyOf(exhaustedBudgets);
    }

    public static RiskContext of(int blastRadius) {
        return new RiskContext(blastRadius, false, List.of(), -1, true);
    }
}
