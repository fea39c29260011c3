package dev.awoooi.analysis;

import dev.awoooi.action.Action;
import dev.awoooi.dryrun.TargetState;

/**
 * Binds signatures to the exact action (type, target, every parameter) and the observed state of its target: any
 * change yields another hash.
 */
public final class PlanHash {
    private PlanHash() {
    }

    public static String of(String incidentId, Action action, String stateFingerprint) {
        // A record's toString lists every component in declaration order: type, target and parameters.
        return TargetState.sha256(incidentId + "\n" + action.type() + "\n" + action + "\n" + stateFingerprint);
    }
}
