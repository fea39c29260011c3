package dev.awoooi.trust;

import dev.awoooi.action.RiskLevel;
import dev.awoooi.approval.SignatureRequirement;

import java.time.Duration;

/**
 * How many signatures a plan needs once its pattern's trust is counted. Trust only ever lowers a MEDIUM plan to none
 * and a HIGH plan to one; HIGH never runs unsigned, CRITICAL is never lowered, and nothing is lowered when a dry-run
 * check is not PASS, the target is outside the managed scope, or a brake holds. A held brake raises even LOW to one
 * signature: whatever runs unsigned stops until a person clears it. What an assistant asked for through MCP, and a
 * plan a language model wrote, always need a person's signature, and trust never lowers them.
 */
public record TrustPolicy(Thresholds thresholds) {

    /**
     * @param mediumUnsigned    the score at which a MEDIUM pattern runs with no signature
     * @param highOneSignature  the score at which a HIGH pattern needs one signature instead of two
     * @param perPatternHour    unsigned runs of one pattern allowed per hour before its brake trips
     * @param perClusterHour    unsigned runs in one cluster allowed per hour before the cluster's brake trips
     * @param halfLife          how long unused before a score halves
     * @param refireWindow      how soon after a fix its alert firing again makes the fix ineffective
     */
    public record Thresholds(int mediumUnsigned, int highOneSignature, int perPatternHour, int perClusterHour, Duration halfLife,
                             Duration refireWindow) {
        public static final Thresholds DEFAULT = new Thresholds(5, 10, 3, 10, Duration.ofDays(30), Duration.ofMinutes(30));

        public Thresholds {
            if (mediumUnsigned < 1 || highOneSignature < 1 || perPatternHour < 0 || perClusterHour < 0) {
                throw new IllegalArgumentException("trust thresholds must be at least 1 and brakes at least 0");
            }
        }
    }

    /**
     * What the plan is, as far as trust is concerned.
     *
     * @param requestedBy who wrote the plan when neither AWOOOI nor a runbook did, in words ("mcp:claude asked for it
     *                    through MCP", "the model (…) wrote it"), or null
     */
    public record Plan(RiskLevel risk, String pattern, int score, boolean dryRunClean, boolean inScope, String brake, String requestedBy) {
        public Plan(RiskLevel risk, String pattern, int score, boolean dryRunClean, boolean inScope, String brake) {
            this(risk, pattern, score, dryRunClean, inScope, brake, null);
        }
    }

    /**
     * @param requirement the signatures the plan needs
     * @param reason      why this many, in words for the card and the page
     * @param unsigned    whether it runs without a signature (the brakes count these)
     */
    public record Verdict(SignatureRequirement requirement, String reason, boolean unsigned) {
    }

    public Verdict decide(Plan plan) {
        SignatureRequirement base = SignatureRequirement.forRisk(plan.risk());
        if (plan.brake() != null) {
            SignatureRequirement held = plan.risk() == RiskLevel.LOW ? SignatureRequirement.forRisk(RiskLevel.MEDIUM) : base;
            return new Verdict(held, plan.brake() + ": signatures are required until a person resets it", false);
        }
        if (plan.requestedBy() != null) {
            // an assistant or a model can propose, never act: a person signs, however trusted the pattern
            SignatureRequirement asked = plan.risk() == RiskLevel.LOW ? SignatureRequirement.forRisk(RiskLevel.MEDIUM) : base;
            return new Verdict(asked, plan.requestedBy() + ": a person signs, trust never lowers it", false);
        }
        if (plan.risk() == RiskLevel.LOW) {
            return new Verdict(base, "LOW: runs without a signature", true);
        }
        if (plan.risk() == RiskLevel.CRITICAL) {
            return new Verdict(base, "CRITICAL: trust never lowers it", false);
        }
        if (plan.pattern() == null) {
            return new Verdict(base, "the target is behind a pseudonym: no trust is kept for it", false);
        }
        if (!plan.inScope()) {
            return new Verdict(base, plan.pattern() + ": outside the managed scope, trust does not count", false);
        }
        int target = plan.risk() == RiskLevel.MEDIUM ? thresholds.mediumUnsigned() : thresholds.highOneSignature();
        String goal = plan.risk() == RiskLevel.MEDIUM ? "it runs without a signature" : "it needs one signature";
        String standing = plan.pattern() + " trusted " + Math.min(plan.score(), target) + "/" + target;
        if (plan.score() < target) {
            int more = target - plan.score();
            return new Verdict(base, standing + ": " + more + " more verified approval" + (more == 1 ? "" : "s") + " and " + goal, false);
        }
        if (!plan.dryRunClean()) {
            return new Verdict(base, standing + ", but a dry-run check is not PASS: trust does not count", false);
        }
        SignatureRequirement lowered = new SignatureRequirement(base.count() - 1, base.eligible(), base.mandatory());
        return new Verdict(lowered, standing + ": " + goal, lowered.count() == 0);
    }
}
