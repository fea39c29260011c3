package dev.awoooi.dryrun;

import dev.awoooi.action.Action;
import dev.awoooi.action.ActionSpec;
import dev.awoooi.action.ObjectRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A cluster to simulate against: objects by reference, budgets, denied permissions, server-side refusals. */
public class FakeCluster implements ClusterProbe {
    public final Map<ObjectRef, TargetState> objects = new HashMap<>();
    public final Map<ObjectRef, List<DisruptionBudget>> budgets = new HashMap<>();
    public final Set<String> denied = new HashSet<>();
    /** Permissions whose access review gets no answer (an API server that errs or times out). */
    public final Set<String> unanswered = new HashSet<>();
    public final Map<ObjectRef, String> serverRefusals = new HashMap<>();
    public final List<Action> dryRuns = new ArrayList<>();
    /** Targets whose dry run times out: the API server gives no verdict. */
    public final java.util.Set<ObjectRef> dryRunsUnanswered = new java.util.HashSet<>();

    /** Every object exists, unchanged, ready; the executor may do anything. */
    public static FakeCluster permissive() {
        return new FakeCluster() {
            @Override
            public Optional<TargetState> state(ObjectRef target) {
                return Optional.of(objects.getOrDefault(target, TargetState.of("uid-" + target.name(), 1, "spec", 1, 1,
                        target.kind() == ObjectRef.Kind.STATEFULSET)));
            }
        };
    }

    public FakeCluster with(ObjectRef ref, TargetState state) {
        objects.put(ref, state);
        return this;
    }

    @Override
    public Access canI(ActionSpec.Permission permission, ObjectRef target) {
        return unanswered.contains(permission.toString()) ? new Access(Check.Outcome.UNKNOWN, "the access review got no answer")
                : denied.contains(permission.toString())
                ? new Access(Check.Outcome.FAIL, "not allowed to " + permission)
                : new Access(Check.Outcome.PASS, "allowed to " + permission);
    }

    @Override
    public Optional<TargetState> state(ObjectRef target) {
        return Optional.ofNullable(objects.get(target));
    }

    @Override
    public List<DisruptionBudget> budgetsCovering(ObjectRef target) {
        return budgets.getOrDefault(target, List.of());
    }

    @Override
    public Optional<String> dryRun(Action action) {
        dryRuns.add(action);
        if (dryRunsUnanswered.contains(action.target())) {
            throw new Unanswered("the API server gave no verdict on the dry run: no answer (SocketTimeoutException)", null);
        }
        return Optional.ofNullable(serverRefusals.get(action.target()));
    }
}
