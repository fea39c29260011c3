package dev.awoooi.approval;

import dev.awoooi.action.RiskLevel;

import java.time.Instant;
import java.util.List;

/** What the plan needs before it may run: signatures for its risk, from the listed approvers, before expiry. */
public record ApprovalRequest(
        RiskLevel risk,
        SignatureRequirement requirement,
        List<Approver> approvers,
        String planHash,
        Instant requestedAt,
        Instant expiresAt) {

    public ApprovalRequest {
        approvers = List.copyOf(approvers);
    }

    public enum Outcome { PENDING, GRANTED, REJECTED }

    /** Counts one signature per person, from eligible roles, for this plan only. */
    public Outcome outcome(List<Signature> signatures) {
        List<Signature> valid = signatures.stream()
                .filter(s -> s.planHash().equals(planHash) && requirement.eligible().contains(s.role()))
                .toList();
        if (valid.stream().anyMatch(s -> s.decision() == Decision.REJECT)) {
            return Outcome.REJECTED;
        }
        var approvals = valid.stream().filter(s -> s.decision() == Decision.APPROVE).toList();
        long people = approvals.stream().map(Signature::approver).distinct().count();
        boolean mandatoryPresent = requirement.mandatory().stream()
                .allMatch(role -> approvals.stream().anyMatch(s -> s.role() == role));
        return people >= requirement.count() && mandatoryPresent ? Outcome.GRANTED : Outcome.PENDING;
    }
}
