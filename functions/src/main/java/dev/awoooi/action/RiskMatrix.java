package dev.awoooi.action;

import dev.awoooi.topology.WorkloadRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Baseline risk per action, raised by what is at stake. */
public final class RiskMatrix {
    private final Set<String> productionNamespaces;
    private final int wideBlastRadius;

    public RiskMatrix(Set<String> productionNamespaces, int wideBlastRadius) {
        this.productionNamespaces = Set.copyOf(productionNamespaces);
        this.wideBlastRadius = wideBlastRadius;
    }

    public RiskAssessment assess(Action action, int blastRadius) {
        List<String> reasons = new ArrayList<>();
        RiskLevel level = switch (action) {
            case Action.Investigate i -> {
                reasons.add("read-only investigation changes nothing");
                yield RiskLevel.LOW;
            }
            case Action.RestartWorkload r -> {
                RiskLevel base = RiskLevel.LOW;
                reasons.add("baseline: a rolling restart replaces pods one by one");
                if (r.target().kind() == WorkloadRef.WorkloadKind.STATEFULSET) {
                    base = base.raised();
                    reasons.add("stateful workload: data-bearing pods restart");
                }
                if (productionNamespaces.contains(r.target().namespace())) {
                    base = base.raised();
                    reasons.add("production namespace '" + r.target().namespace() + "'");
                }
                if (blastRadius >= wideBlastRadius) {
                    base = base.raised();
                    reasons.add("wide blast radius: " + blastRadius + " services depend on it");
                }
                yield base;
            }
        };
        return new RiskAssessment(level, reasons);
    }
}
