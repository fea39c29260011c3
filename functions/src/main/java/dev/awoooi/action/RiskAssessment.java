package dev.awoooi.action;

import java.util.List;

/** The risk of an action and every reason that set it, so the signer sees why. */
public record RiskAssessment(RiskLevel level, List<String> reasons) {
    public RiskAssessment {
        reasons = List.copyOf(reasons);
    }

    /** This assessment, raised to {@code floor} with the reason if it is lower; unchanged otherwise. */
    public RiskAssessment atLeast(RiskLevel floor, String reason) {
        if (level.compareTo(floor) >= 0) {
            return this;
        }
        List<String> raised = new java.util.ArrayList<>(reasons);
        raised.add(reason);
        return new RiskAssessment(floor, raised);
    }
}
