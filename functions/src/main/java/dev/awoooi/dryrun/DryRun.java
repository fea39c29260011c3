package dev.awoooi.dryrun;

import dev.awoooi.action.Action;
import dev.awoooi.action.ActionCatalog;
import dev.awoooi.action.ActionSpec;
import dev.awoooi.action.ObjectRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Simulates an action against the live cluster before anyone is asked to sign it: parameters, RBAC for the exact
 * verb and resource, existence, PodDisruptionBudgets, the API server's own dry run. Each
 * check says pass, fail or unknown, and why (the blast radius is no check: it cannot fail, it raises the risk). The
 * report carries the target's state fingerprint, which the plan
 * hash binds signatures to.
 */
public final class DryRun {
    private final ClusterProbe cluster;

    public DryRun(ClusterProbe cluster) {
        this.cluster = cluster;
    }

    public Simulation simulate(Action action) {
        List<Check> checks = new ArrayList<>();
        List<String> invalid = new ArrayList<>(ActionCatalog.validate(action));
        if (!action.mutating()) {
            checks.add(invalid.isEmpty() ? Check.pass("parameters", "read-only action, nothing to change")
                    : Check.fail("parameters", String.join("; ", invalid)));
            return new Simulation(new DryRunReport(checks, "read-only"), Optional.empty(), List.of());
        }
        ActionSpec spec = ActionCatalog.spec(action);
        ObjectRef target = action.target();
        Optional<TargetState> state = invalid.isEmpty() ? cluster.state(target) : Optional.empty();
        state.ifPresent(s -> invalid.addAll(againstState(action, s)));
        checks.add(invalid.isEmpty() ? Check.pass("parameters", "valid for the catalog's " + spec.type())
                : Check.fail("parameters", String.join("; ", invalid)));
        for (ActionSpec.Permission permission : spec.permissions()) {
            ClusterProbe.Access access = cluster.canI(permission, target);
            checks.add(new Check("rbac: " + permission, access.outcome(), access.reason()));
        }
        checks.add(state.isPresent() ? Check.pass("existence", target + " exists (" + state.get().readiness() + ")")
                : invalid.isEmpty() ? Check.fail("existence", target + " does not exist")
                : Check.unknown("existence", "not looked up: the parameters are invalid"));
        List<String> exhausted = List.of();
        if (spec.disruptive()) {
            var budgets = state.isPresent() ? cluster.budgetsCovering(target) : List.<ClusterProbe.DisruptionBudget>of();
            exhausted = budgets.stream().filter(b -> b.disruptionsAllowed() < 1).map(ClusterProbe.DisruptionBudget::name).toList();
            checks.add(pdbCheck(action, state, budgets, exhausted));
            // A budget protects ready pods; with none ready there is nothing left for it to protect.
            if (state.isPresent() && state.get().ready() == 0) {
                exhausted = List.of();
            }
        }
        if (state.isPresent() && invalid.isEmpty()) {
            try {
                Optional<String> refused = cluster.dryRun(action);
                checks.add(refused.isEmpty() ? Check.pass("server-dry-run", "API server accepted the change with dryRun=All")
                        : Check.fail("server-dry-run", refused.get()));
            } catch (ClusterProbe.Unanswered e) {
                // no verdict is not a refusal: UNKNOWN, which blocks unsigned execution and is shown to signers
                checks.add(Check.unknown("server-dry-run", e.getMessage()));
            }
        } else {
            checks.add(Check.unknown("server-dry-run", "not sent: " + (state.isEmpty() ? "no target" : "invalid parameters")));
        }
        String fingerprint = state.map(s -> s.fingerprint(action)).orElse("absent");
        return new Simulation(new DryRunReport(checks, fingerprint), state, exhausted);
    }

    /** Rules that need the live object: bounded scaling relative to now, a revision to roll back to. */
    private static List<String> againstState(Action action, TargetState state) {
        return switch (action) {
            case Action.ScaleDeployment scale -> ActionCatalog.validateScale(scale, state.desired());
            case Action.RollbackDeployment rollback -> {
                if (state.revisions().isEmpty()) {
                    yield List.of("toRevision: the deployment has no earlier revision to roll back to");
                }
                if (rollback.toRevision() != null && !state.revisions().contains(rollback.toRevision())) {
                    yield List.of("toRevision: revision " + rollback.toRevision() + " not found; known: " + state.revisions());
                }
                yield List.of();
            }
            default -> List.of();
        };
    }

    private static Check pdbCheck(Action action, Optional<TargetState> state, List<ClusterProbe.DisruptionBudget> budgets, List<String> exhausted) {
        if (state.isEmpty()) {
            return Check.unknown("pdb", "no target to check budgets for");
        }
        if (budgets.isEmpty()) {
            return Check.pass("pdb", "no PodDisruptionBudget covers it");
        }
        if (exhausted.isEmpty()) {
            return Check.pass("pdb", "PodDisruptionBudget " + names(budgets) + " allows it");
        }
        if (state.get().ready() == 0) {
            return Check.pass("pdb", "PodDisruptionBudget " + String.join(", ", exhausted) + " has no room, but no pod is ready to protect");
        }
        String consequence = switch (action) {
            case Action.EvictPod e -> "the API server will refuse the eviction";
            case Action.DrainNode d -> "the drain will stall on its pods";
            case Action.DeletePod d -> "a delete bypasses it and breaks the availability it guarantees";
            default -> "the rollout will stall until it has room";
        };
        return Check.fail("pdb", "PodDisruptionBudget " + String.join(", ", exhausted) + " allows no disruption now: " + consequence);
    }

    private static String names(List<ClusterProbe.DisruptionBudget> budgets) {
        return String.join(", ", budgets.stream().map(ClusterProbe.DisruptionBudget::name).toList());
    }
}
