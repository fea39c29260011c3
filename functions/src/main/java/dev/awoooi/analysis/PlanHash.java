package dev.awoooi.analysis;

import dev.awoooi.action.Action;
import dev.awoooi.dryrun.WorkloadState;

/** Binds signatures to the exact action, target and observed state: any change yields another hash. */
public final class PlanHash {
    private PlanHash() {
    }

    public static String of(String incidentId, Action action, String stateFingerprint) {
        String target = switch (action) {
            case Action.Investigate i -> String.valueOf(i.service());
            case Action.RestartWorkload r -> r.target().kind() + "/" + r.target().namespace() + "/" + r.target().name();
        };
        return WorkloadState.sha256(incidentId + "\n" + action.type() + "\n" + target + "\n" + stateFingerprint);
    }
}
