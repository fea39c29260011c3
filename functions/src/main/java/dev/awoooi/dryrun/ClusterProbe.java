package dev.awoooi.dryrun;

import dev.awoooi.topology.WorkloadRef;

import java.util.List;
import java.util.Optional;

/** Port: read-only questions to the cluster, and the server-side dry run of a mutation. */
public interface ClusterProbe {

    record Access(Check.Outcome outcome, String reason) {
    }

    record DisruptionBudget(String name, int disruptionsAllowed) {
    }

    /** SelfSubjectAccessReview for exactly this verb on exactly this object. */
    Access canI(String verb, String group, String resource, String namespace, String name);

    Optional<WorkloadState> state(WorkloadRef ref);

    List<DisruptionBudget> budgetsCovering(WorkloadRef ref);

    /** Sends the restart patch with dryRun=All; returns a failure reason, or empty when the server accepted it. */
    Optional<String> dryRunRestart(WorkloadRef ref);
}
