package dev.awoooi.action;

import java.util.List;

/** The risk of an action and every reason that set it, so the signer sees why. */
public record RiskAssessment(RiskLevel level, List<String> reasons) {
    public RiskAssessment {
        reasons = List.copyOf(reasons);
    }
}
