package dev.awoooi.analysis;

import dev.awoooi.action.Action;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.dryrun.DryRunReport;

import java.time.Instant;
import java.util.List;

/** Everything the approval card shows, and the plan hash every signature binds to. */
public record Analysis(
        List<RootCause> rootCauses,
        List<Impact> blastRadius,
        Action action,
        RiskAssessment risk,
        DryRunReport dryRun,
        double costPerMinuteUsd,
        String planHash,
        Instant analyzedAt) {

    public Analysis {
        rootCauses = List.copyOf(rootCauses);
        blastRadius = List.copyOf(blastRadius);
    }
}
