package dev.awoooi.dryrun;

import java.util.List;

/** Every check of a simulated action, and the state of its target at the time: what signatures bind to. */
public record DryRunReport(List<Check> checks, String stateFingerprint) {
    public DryRunReport {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().noneMatch(c -> c.outcome() == Check.Outcome.FAIL);
    }
}
