package dev.awoooi.dryrun;

import java.util.List;
import java.util.Optional;

/** A dry run's report, with the facts about the target that the risk assessment weighs. */
public record Simulation(DryRunReport report, Optional<TargetState> state, List<String> exhaustedBudgets) {
    public Simulation {
        exhaustedBudgets = List.copyOf(exhaustedBudgets);
    }
}
