package dev.awoooi.dryrun;

import dev.awoooi.action.Action;
import dev.awoooi.action.ActionSpec;
import dev.awoooi.action.ObjectRef;

import java.util.List;
import java.util.Optional;

/** Port: read-only questions to the cluster, and the server-side dry run of a mutation. */
public interface ClusterProbe {

    record Access(Check.Outcome outcome, String reason) {
    }

    /** A PodDisruptionBudget over the target's pods and how many of them may go now. */
    record DisruptionBudget(String name, int disruptionsAllowed) {
    }

    /** SelfSubjectAccessReview for exactly this verb on exactly this object (and subresource). */
    Access canI(ActionSpec.Permission permission, ObjectRef target);

    /** The target as it is now; empty when it does not exist. */
    Optional<TargetState> state(ObjectRef target);

    /** The budgets covering the pods the action would disrupt: a workload's, a pod's, or every pod on a node. */
    List<DisruptionBudget> budgetsCovering(ObjectRef target);

    /**
     * Sends the action's mutation with dryRun=All; returns the server's refusal, or empty when it accepted it.
     *
     * @throws Unanswered when the API server gave no verdict (no answer, a timeout, a 5xx, throttling): the dry run
     *     neither passed nor failed
     */
    Optional<String> dryRun(Action action);

    /** The API server gave no verdict on a dry run; what is known is said in the message. */
    final class Unanswered extends RuntimeException {
        public Unanswered(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
