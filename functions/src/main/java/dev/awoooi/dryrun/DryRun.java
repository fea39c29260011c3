package dev.awoooi.dryrun;

import dev.awoooi.action.Action;
import dev.awoooi.topology.WorkloadRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Simulates an action against the live cluster before anyone is asked to sign it. */
public final class DryRun {
    private final ClusterProbe cluster;

    public DryRun(ClusterProbe cluster) {
        this.cluster = cluster;
    }

    public DryRunReport simulate(Action action, int blastRadius) {
        return switch (action) {
            case Action.Investigate i -> new DryRunReport(
                    List.of(Check.pass("parameters", "read-only action, nothing to change")), "read-only");
            case Action.RestartWorkload r -> restart(r.target(), blastRadius);
        };
    }

    private DryRunReport restart(WorkloadRef target, int blastRadius) {
        List<Check> checks = new ArrayList<>();
        String resource = switch (target.kind()) {
            case DEPLOYMENT -> "deployments";
            case STATEFULSET -> "statefulsets";
        };
        checks.add(target.name().matches("[a-z0-9]([-a-z0-9]{0,251}[a-z0-9])?")
                ? Check.pass("parameters", "target is a valid object name")
                : Check.fail("parameters", "target is not a valid Kubernetes object name"));
        ClusterProbe.Access access = cluster.canI("patch", "apps", resource, target.namespace(), target.name());
        checks.add(new Check("rbac", access.outcome(), access.reason()));
        Optional<WorkloadState> state = cluster.state(target);
        checks.add(state.isPresent()
                ? Check.pass("existence", target + " exists (" + state.get().ready() + "/" + state.get().desired() + " ready)")
                : Check.fail("existence", target + " does not exist"));
        List<ClusterProbe.DisruptionBudget> budgets = cluster.budgetsCovering(target);
        if (budgets.isEmpty()) {
            checks.add(Check.pass("pdb", "no PodDisruptionBudget covers it"));
        } else {
            // A rolling restart respects PDBs through the controller; a budget with no room means it will stall.
            var blocking = budgets.stream().filter(b -> b.disruptionsAllowed() < 1).map(ClusterProbe.DisruptionBudget::name).toList();
            checks.add(blocking.isEmpty() || state.map(s -> s.ready() == 0).orElse(false)
                    ? Check.pass("pdb", "PodDisruptionBudgets allow it" + (blocking.isEmpty() ? "" : " (no ready pod to protect)"))
                    : Check.fail("pdb", "PodDisruptionBudget " + String.join(", ", blocking) + " allows no disruption now"));
        }
        Optional<String> rejected = state.isPresent() ? cluster.dryRunRestart(target) : Optional.of("target missing");
        checks.add(rejected.isEmpty()
                ? Check.pass("server-dry-run", "API server accepted the patch with dryRun=All")
                : Check.fail("server-dry-run", rejected.get()));
        checks.add(Check.pass("blast-radius", blastRadius + " upstream services affected while pods roll"));
        return new DryRunReport(checks, state.map(WorkloadState::fingerprint).orElse("absent"));
    }
}
