package dev.awoooi.analysis;

import dev.awoooi.action.Action;
import dev.awoooi.action.RiskAssessment;
import dev.awoooi.dryrun.DryRunReport;

import java.time.Instant;
import java.util.List;

/**
 * Everything the approval card shows, and the plan hash every signature binds to.
 *
 * @param proposal   why this action: the topology's choice, or what became of a runbook's suggestion
 * @param suggestion what the command guard made of the alert's runbook suggestion; null when it carried none
 * @param scopeRefusal why the action first chosen was refused for reaching outside the configured scope (it became an
 *                   investigation); null when it was in scope
 * @param findings   what was looked at for an investigation (events, restarts, rollouts, log tails, masked); null
 *                   when the action changes something
 * @param topology   how the graph was built: its size per source, and any source that was unavailable
 * @param model      the language model's second opinion; null when no model is configured
 */
public record Analysis(
        List<RootCause> rootCauses,
        List<Impact> blastRadius,
        Action action,
        String proposal,
        Suggestion suggestion,
        String scopeRefusal,
        RiskAssessment risk,
        DryRunReport dryRun,
        Findings findings,
        double costPerMinuteUsd,
        SimilarIncidents similar,
        TopologySummary topology,
        String planHash,
        Instant analyzedAt,
        ModelOpinion model) {

    public Analysis {
        rootCauses = List.copyOf(rootCauses);
        blastRadius = List.copyOf(blastRadius);
    }

    /** An analysis without a model's opinion. */
    public Analysis(List<RootCause> rootCauses, List<Impact> blastRadius, Action action, String proposal, Suggestion suggestion,
                    String scopeRefusal, RiskAssessment risk, DryRunReport dryRun, Findings findings, double costPerMinuteUsd,
                    SimilarIncidents similar, TopologySummary topology, String planHash, Instant analyzedAt) {
        this(rootCauses, blastRadius, action, proposal, suggestion, scopeRefusal, risk, dryRun, findings, costPerMinuteUsd, similar,
                topology, planHash, analyzedAt, null);
    }
}
